namespace Multiprocessing.Analyzers.Tests;

/// <summary>MP0004's code fix: 'static' before a capture-free lambda.</summary>
public sealed class MakeLambdaStaticCodeFixTests
{
    [Fact]
    public async Task CodeFix_CaptureFreeLambdas_AddsStatic()
    {
        await Verify.CodeFixAsync(
            """
            static class C
            {
                static void M(Pool pool)
                {
                    pool.Map({|#0:x => x * 2|}, new[] { 1 });
                    pool.Apply({|#1:delegate (int a) { return a; }|}, 1);
                    pool.Apply(
                        {|#2:(int a, int b) => a + b|}, 1, 2);
                }
            }
            """,
            """
            static class C
            {
                static void M(Pool pool)
                {
                    pool.Map(static x => x * 2, new[] { 1 });
                    pool.Apply(static delegate (int a) { return a; }, 1);
                    pool.Apply(
                        static (int a, int b) => a + b, 1, 2);
                }
            }
            """,
            Verify.Diagnostic("MP0004").WithLocation(0).WithArguments("Pool.Map"),
            Verify.Diagnostic("MP0004").WithLocation(1).WithArguments("Pool.Apply"),
            Verify.Diagnostic("MP0004").WithLocation(2).WithArguments("Pool.Apply"));
    }
}
