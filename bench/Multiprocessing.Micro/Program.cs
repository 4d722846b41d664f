using BenchmarkDotNet.Running;

namespace Multiprocessing.Micro;

/// <summary>
/// Microbenchmarks of the framing and serialization path (the parts a task's bytes go through on both
/// sides), for changes to them to be measured in isolation. The pool-level benchmark is bench/Multiprocessing.Bench.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
