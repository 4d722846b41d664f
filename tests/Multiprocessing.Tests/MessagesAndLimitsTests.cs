using Multiprocessing.Functions;
using Multiprocessing.Tests.Support;
using Multiprocessing.Workers;

namespace Multiprocessing.Tests;

/// <summary>Messages a person reads name things as written in the source, and limits are stated with their values.</summary>
public sealed class MessagesAndLimitsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("<<Main>$>g__FailFast|0_16", "Program", "FailFast (local function in Main)")]
    [InlineData("<<Main>$>b__0", "Program", "lambda in Main")]
    [InlineData("<<Main>$>b__0_1", "Program", "lambda in Main")]
    [InlineData("<Run>b__3_0", "Worker", "lambda in Worker.Run")]
    [InlineData("<Run>g__Helper|3_0", "Worker", "Helper (local function in Worker.Run)")]
    [InlineData("Square", "Tasks", "Tasks.Square")]
    public void FriendlyName_CompilerNames_ReadAsWritten(string method, string type, string expected)
        => Assert.Equal(expected, FunctionDescriptor.FriendlyName(method, type));

    [Fact]
    public void Display_RealLambdaAndLocalFunction_NameTheirMethod()
    {
        Func<int, int> lambda = static x => x + 1;
        Assert.Equal($"lambda in {nameof(MessagesAndLimitsTests)}.{nameof(Display_RealLambdaAndLocalFunction_NameTheirMethod)}", FunctionDescriptor.Display(lambda.Method));
        Func<int, int> local = Twice;
        Assert.Equal($"Twice (local function in {nameof(MessagesAndLimitsTests)}.{nameof(Display_RealLambdaAndLocalFunction_NameTheirMethod)})", FunctionDescriptor.Display(local.Method));

        static int Twice(int x) => 2 * x;
    }

    [Fact]
    public void Apply_LambdaCapturingSeveralScopes_NamesOnlyTheCapturedVariables()
    {
        using var pool = new Pool(1);
        int mult = 3;
        string p = "abc";
        for (int i = 0; i < 1; i++)
        {
            int inner = i;
            // Not in Assert.Throws: a lambda around the call would put the pool among the captured variables too.
            ArgumentException? ex = null;
            try
            {
                pool.Apply(x => (x * mult) + p.Length + inner, 1);
            }
            catch (ArgumentException caught)
            {
                ex = caught;
            }

            Assert.NotNull(ex);
            Assert.Contains("captures variables (", ex.Message);
            string captured = ex.Message[(ex.Message.IndexOf("captures variables (", StringComparison.Ordinal) + "captures variables (".Length)..];
            captured = captured[..captured.IndexOf(')')];
            Assert.Equal(["inner", "mult", "p"], captured.Split(", ").Order());
            Assert.Contains("lambda in", ex.Message);
            Assert.DoesNotContain("<>", ex.Message);
        }
    }

    [Fact]
    public void Apply_StreamArgument_NamesTheParameterAndTypeWithOneFullStop()
    {
        using var pool = new Pool(1);
        var ex = Assert.Throws<ArgumentException>(() => pool.Apply(Tasks.Echo<Stream>, new MemoryStream()));
        Assert.Equal("arg1", ex.ParamName);
        Assert.Contains("System.IO.MemoryStream", ex.Message);
        Assert.DoesNotContain("..", ex.Message);
        Assert.Equal(1, pool.Apply(Tasks.Identity, 1));
    }

    [Fact]
    public void Apply_MemoryStreamAsObject_NamesItsType()
    {
        using var pool = new Pool(1);
        var ex = Assert.Throws<ArgumentException>(() => pool.Apply(Tasks.Echo<object>, (object)new MemoryStream()));
        Assert.Contains("a System.IO.MemoryStream, declared as System.Object", ex.Message);
        Assert.DoesNotContain("..", ex.Message);
    }

    [Fact]
    public void Apply_SecondArgumentUnserializable_NamesArg2()
    {
        using var pool = new Pool(1);
        var ex = Assert.Throws<ArgumentException>(() => pool.Apply(static (int a, object b) => a, 1, new MemoryStream()));
        Assert.Equal("arg2", ex.ParamName);
        Assert.Contains("System.IO.MemoryStream", ex.Message);
    }

    [Fact]
    public void Map_UnserializableItem_NamesIterable()
    {
        using var pool = new Pool(1);
        var ex = Assert.Throws<ArgumentException>(() => pool.Map(Tasks.Echo<object>, new object[] { 1, new MemoryStream() }));
        Assert.Equal("iterable", ex.ParamName);
        Assert.Contains("System.IO.MemoryStream", ex.Message);
    }

    [Fact]
    public void Constructor_ProcessesOverTheLimit_ListsItAmongAllProblems()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Pool(new PoolOptions { Processes = 100_000, MaxRetries = -1 }));
        Assert.Contains($"Processes must be at most PoolDefaults.MaxProcesses = {PoolDefaults.MaxProcesses} (was 100000)", ex.Message);
        Assert.Contains("MaxRetries", ex.Message);
        Assert.Throws<ArgumentException>(() => new ThreadedPool(PoolDefaults.MaxProcesses + 1));
    }

    [Fact]
    public void Constructor_MoreProcessesThanConcurrentStarts_LaunchesThemInSteps()
    {
        using var gate = new Gate();
        int processes = ProcessExecutor.MaxConcurrentStarts + 2;
        using var pool = new Pool(new PoolOptions { Processes = processes, Initializer = Tasks.WaitForGate, InitArgs = [gate.Path] });
        var executor = (ProcessExecutor)pool.Executor;

        // Their initializers wait for the gate, so none is ready: only the first ones may have been launched.
        Assert.Equal(ProcessExecutor.MaxConcurrentStarts, executor.LaunchedWorkers);
        gate.Open();
        Assert.True(SpinWait.SpinUntil(() => executor.LaunchedWorkers == processes && executor.StartingWorkers == 0, Timeout), $"{executor.LaunchedWorkers} launched, {executor.StartingWorkers} starting");
        Assert.Equal(Enumerable.Range(0, 20).Select(x => x * x), pool.Map(Tasks.Square, Enumerable.Range(0, 20)));
    }

    [Fact]
    public void ProcessLimitNote_OnLinux_StatesTheUserProcessLimit()
    {
        Assert.Contains("ulimit -u", ProcessExecutor.ProcessLimitNote());
    }
}
