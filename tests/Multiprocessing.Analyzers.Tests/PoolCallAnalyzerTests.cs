namespace Multiprocessing.Analyzers.Tests;

/// <summary>MP0001-MP0004 on calls to Pool, and their absence where the call is fine or the receiver may be a ThreadedPool.</summary>
public sealed class PoolCallAnalyzerTests
{
    [Fact]
    public async Task Map_LambdaCapturesLocal_ReportsMP0001NamingTheVariable()
    {
        await Verify.AnalyzerAsync(
            """
            static class C
            {
                static void M(Pool pool, int offset)
                {
                    int scale = 2;
                    pool.Map({|#0:x => x * scale + offset|}, new[] { 1, 2 });
                }
            }
            """,
            Verify.Diagnostic("MP0001").WithLocation(0).WithArguments("Pool.Map", "'scale' and 'offset'"));
    }

    [Fact]
    public async Task Apply_LambdaUsesInstanceField_ReportsMP0001ForThis()
    {
        await Verify.AnalyzerAsync(
            """
            class C
            {
                private int _field = 3;

                void M(Pool pool) => pool.Apply({|#0:x => x + _field|}, 1);
            }
            """,
            Verify.Diagnostic("MP0001").WithLocation(0).WithArguments("Pool.Apply", "'this' (for '_field')"));
    }

    [Fact]
    public async Task ApplyAsync_AnonymousMethodCaptures_ReportsMP0001()
    {
        await Verify.AnalyzerAsync(
            """
            static class C
            {
                static void M(Pool pool, string path)
                {
                    pool.ApplyAsync({|#0:delegate { System.IO.File.WriteAllText(path, "x"); }|});
                }
            }
            """,
            Verify.Diagnostic("MP0001").WithLocation(0).WithArguments("Pool.ApplyAsync", "'path'"));
    }

    [Fact]
    public async Task Map_LambdaCallsCapturingLocalFunction_ReportsMP0001()
    {
        await Verify.AnalyzerAsync(
            """
            static class C
            {
                static void M(Pool pool, int factor)
                {
                    int Scale(int x) => x * factor;
                    pool.Map({|#0:x => Scale(x)|}, new[] { 1 });
                }
            }
            """,
            Verify.Diagnostic("MP0001").WithLocation(0).WithArguments("Pool.Map", "'factor'"));
    }

    [Fact]
    public async Task PoolOptionsInitializer_LambdaCaptures_ReportsMP0001()
    {
        await Verify.AnalyzerAsync(
            """
            static class C
            {
                static void Setup(string path) { }

                static Pool M(string path) => new Pool(new PoolOptions { Processes = 2, Initializer = {|#0:() => Setup(path)|} });
            }
            """,
            Verify.Diagnostic("MP0001").WithLocation(0).WithArguments("PoolOptions.Initializer", "'path'"));
    }

    [Fact]
    public async Task Map_AsyncLambdaWithoutReturnTypeCaptures_ReportsMP0001()
    {
        await Verify.AnalyzerAsync(
            """
            static class C
            {
                static void M(Pool pool, int scale)
                {
                    pool.Map({|#0:async (int x) => { await Task.Yield(); return x * scale; }|}, new[] { 1, 2 });
                }
            }
            """,
            Verify.Diagnostic("MP0001").WithLocation(0).WithArguments("Pool.Map", "'scale'"));
    }

    [Fact]
    public async Task ApplyAsync_InstanceMethodTakingPoolsToken_ReportsMP0002()
    {
        await Verify.AnalyzerAsync(
            """
            class C
            {
                int Work(int x, System.Threading.CancellationToken token) => x;

                void M(Pool pool) => pool.ApplyAsync({|#0:Work|}, 1);
            }
            """,
            Verify.Diagnostic("MP0002").WithLocation(0).WithArguments("Pool.ApplyAsync", "C.Work(int, CancellationToken)"));
    }

    [Fact]
    public async Task Map_InstanceMethodGroup_ReportsMP0002()
    {
        await Verify.AnalyzerAsync(
            """
            class C
            {
                int Twice(int x) => 2 * x;

                void M(Pool pool) => pool.Map({|#0:Twice|}, new[] { 1 });
            }
            """,
            Verify.Diagnostic("MP0002").WithLocation(0).WithArguments("Pool.Map", "C.Twice(int)"));
    }

    [Fact]
    public async Task Apply_ExtensionMethodBoundToValue_ReportsMP0002()
    {
        await Verify.AnalyzerAsync(
            """
            static class E
            {
                public static int Length2(this string s) => s.Length * 2;

                static int M(Pool pool) => pool.Apply({|#0:"text".Length2|});
            }
            """,
            Verify.Diagnostic("MP0002").WithLocation(0).WithArguments("Pool.Apply", "E.Length2(string)"));
    }

    [Fact]
    public async Task Map_StreamElements_ReportsMP0003()
    {
        await Verify.AnalyzerAsync(
            """
            static class C
            {
                static long Size(MemoryStream s) => s.Length;

                static void M(Pool pool) => pool.Map({|#0:Size|}, new[] { new MemoryStream() });
            }
            """,
            Verify.Diagnostic("MP0003").WithLocation(0).WithArguments("Pool.Map", "element", "MemoryStream", "'MemoryStream' is a stream, which belongs to this process"));
    }

    [Fact]
    public async Task Map_DelegateInsideList_ReportsMP0003ForTheElementAndResult()
    {
        await Verify.AnalyzerAsync(
            """
            static class C
            {
                static List<Func<int>> Same(List<Func<int>> x) => x;

                static void M(Pool pool) => pool.Map({|#0:Same|}, new[] { new List<Func<int>>() });
            }
            """,
            Verify.Diagnostic("MP0003").WithLocation(0).WithArguments("Pool.Map", "element and result", "List<Func<int>>", "it holds 'Func<int>', a delegate"));
    }

    [Fact]
    public async Task Apply_PointerArgumentAndTaskResult_ReportsMP0003ForEach()
    {
        await Verify.AnalyzerAsync(
            """
            static class C
            {
                // Task<T> results are awaited by the worker (async task functions); a plain Task has no result to send.
                static Task Start(IntPtr handle) => Task.CompletedTask;

                static void M(Pool pool) => pool.Apply({|#0:Start|}, IntPtr.Zero);
            }
            """,
            Verify.Diagnostic("MP0003").WithLocation(0).WithArguments("Pool.Apply", "argument", "nint", "'nint' is an address in this process's memory"),
            Verify.Diagnostic("MP0003").WithLocation(0).WithArguments("Pool.Apply", "result", "Task", "'Task' is a task running in this process (await it and send its result)"));
    }

    [Fact]
    public async Task PoolCalls_StaticLambdaOrStaticMethodGroup_ReportNothing()
    {
        await Verify.AnalyzerAsync(
            """
            static class C
            {
                static int Square(int x) => x * x;

                static void M(Pool pool, int offset)
                {
                    pool.Map(Square, new[] { 1, 2 });
                    pool.Map(static x => x + 1, new[] { 1, 2 });
                    pool.Apply(static (int a, int b) => a + b, 1, offset);
                    pool.Starmap(static (int a, string b) => b + a, new[] { (1, "x") });
                    pool.ApplyAsync(Square, 3, callback: r => Console.WriteLine(r + offset));
                    new Pool(new PoolOptions { Initializer = static () => { } });
                }
            }
            """);
    }

    [Fact]
    public async Task CapturingCalls_ReceiverIsThreadedPoolOrIPool_ReportNothing()
    {
        await Verify.AnalyzerAsync(
            """
            class C
            {
                private int _field;

                int Twice(int x) => 2 * x;

                void M(ThreadedPool threads, IPool any, PoolBase pool, int offset)
                {
                    threads.Map(x => x + offset + _field, new[] { 1 });
                    threads.Map(Twice, new[] { 1 });
                    threads.Apply(static (Func<int> f) => f(), () => offset);
                    any.Map(x => x + offset, new[] { 1 });
                    pool.Map(Twice, new[] { 1 });
                    new ThreadedPool(new PoolOptions { Initializer = () => Console.WriteLine(offset) });
                }
            }
            """);
    }

    [Fact]
    public async Task Map_LambdaUsesOnlyItsOwnVariablesConstantsAndNameof_ReportsOnlyTheStaticSuggestion()
    {
        await Verify.AnalyzerAsync(
            """
            static class C
            {
                static void M(Pool pool, int offset)
                {
                    const int K = 3;
                    pool.Map({|#0:x =>
                    {
                        int local = x * K;
                        Func<int, int> inner = y => y + local;
                        int Twice(int z) => 2 * z + local;
                        return Twice(inner(x)) + nameof(offset).Length;
                    }|}, new[] { 1 });
                }
            }
            """,
            Verify.Diagnostic("MP0004").WithLocation(0).WithArguments("Pool.Map"));
    }
}
