using System.Diagnostics;

namespace Multiprocessing.Bench;

/// <summary>A reading of the clocks that matter around one call: wall time, the parent's CPU, the calling thread's, the workers', and GCs.</summary>
internal readonly record struct Probe(long Timestamp, double ProcessCpu, double ThreadCpu, double WorkersCpu, int Gen0, int Gen1, int Gen2)
{
    public static Probe Now(IReadOnlyCollection<int> workerPids) => new(
        Stopwatch.GetTimestamp(),
        Cpu.ProcessSeconds(),
        Cpu.ThreadSeconds(),
        workerPids.Count == 0 ? double.NaN : Cpu.OfProcesses(workerPids),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2));

    /// <summary>Writes <c>name_s</c>, <c>name_cpu_s</c> (parent), <c>name_thread_cpu_s</c>, <c>name_workers_cpu_s</c> and <c>name_gen0/1/2</c>: now minus <paramref name="start"/>.</summary>
    public void Since(Probe start, Figures f, string name)
    {
        f[name + "_s"] = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        f[name + "_cpu_s"] = ProcessCpu - start.ProcessCpu;
        f[name + "_thread_cpu_s"] = ThreadCpu - start.ThreadCpu;
        f[name + "_workers_cpu_s"] = WorkersCpu - start.WorkersCpu;
        f[name + "_gen0"] = Gen0 - start.Gen0;
        f[name + "_gen1"] = Gen1 - start.Gen1;
        f[name + "_gen2"] = Gen2 - start.Gen2;
    }
}
