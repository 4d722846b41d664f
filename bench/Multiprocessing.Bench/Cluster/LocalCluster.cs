using System.Diagnostics;
using System.Globalization;

namespace Multiprocessing.Bench;

/// <summary>
/// A cluster of <see cref="SiloChild"/> processes on loopback, started by the parent once and reused by every
/// driver child. Silo i is pinned (<c>taskset -c</c>, inherited by its workers) to core i mod the core count,
/// when taskset exists: on 2 cores a third silo shares core 0 with the first.
/// </summary>
internal sealed class LocalCluster : IDisposable
{
    private static readonly TimeSpan s_ready = TimeSpan.FromSeconds(120);
    private readonly List<Process> _silos = [];

    private LocalCluster(string id, int[] gateways, bool pinned)
    {
        Id = id;
        Gateways = gateways;
        Pinned = pinned;
    }

    public string Id { get; }

    public int[] Gateways { get; }

    public bool Pinned { get; }

    /// <summary>Seconds from the first silo's start to the last one's ready line.</summary>
    public double StartSeconds { get; private set; }

    /// <summary>The cores the silos are pinned to, in silo order (empty when not pinned).</summary>
    public int[] Cores => Pinned ? [.. Enumerable.Range(0, Gateways.Length).Select(i => i % Environment.ProcessorCount)] : [];

    /// <summary>Starts <paramref name="silos"/> silos (the primary first, the others through it) and waits until each has joined.</summary>
    public static LocalCluster Start(int silos, int k)
    {
        int[] ports = ClusterSample.LoopbackPorts.Free(2 * silos);
        bool pinned = File.Exists("/usr/bin/taskset") || File.Exists("/bin/taskset");
        var cluster = new LocalCluster("mpbench-" + Guid.NewGuid().ToString("N")[..8], [.. ports.Skip(silos)], pinned);
        var clock = Stopwatch.StartNew();
        try
        {
            Ready(silos, [cluster.StartSilo(0, ports[0], ports[0], k)]);
            Ready(silos, [.. Enumerable.Range(1, silos - 1).Select(i => cluster.StartSilo(i, ports[0], ports[i], k))]);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }

        cluster.StartSeconds = clock.Elapsed.TotalSeconds;
        return cluster;
    }

    private static void Ready(int silos, Task[] starts)
    {
        try
        {
            if (!Task.WaitAll(starts, s_ready))
            {
                throw new TimeoutException($"TIMEOUT: the {silos}-silo cluster was not ready within {s_ready.TotalSeconds:F0} s");
            }
        }
        catch (AggregateException ex) when (ex.InnerException is InvalidOperationException inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
        }
    }

    /// <summary>The <see cref="ClusterDriver"/> argument for this cluster: <c>ID:GATEWAY,GATEWAY…</c>.</summary>
    public override string ToString() => Id + ":" + string.Join(',', Gateways.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    public void Dispose()
    {
        foreach (var p in _silos)
        {
            try
            {
                p.StandardInput.Close();
                if (!p.WaitForExit(10_000))
                {
                    p.Kill(entireProcessTree: true);
                    p.WaitForExit(10_000);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                // It ended already.
            }

            p.Dispose();
        }

        _silos.Clear();
    }

    private Task StartSilo(int index, int primary, int siloPort, int k)
    {
        var self = Children.Self(SiloChild.Flag, Id, Str(primary), Str(siloPort), Str(Gateways[index]), Str(k));
        var info = self;
        if (Pinned)
        {
            info = new ProcessStartInfo("taskset") { UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(Str(index % Environment.ProcessorCount));
            info.ArgumentList.Add(self.FileName);
            foreach (string a in self.ArgumentList)
            {
                info.ArgumentList.Add(a);
            }
        }

        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new List<string>();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == SiloChild.ReadyLine)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.Add(e.Data);
                }
            }
        };
        process.Exited += (_, _) =>
        {
            lock (errors)
            {
                ready.TrySetException(new InvalidOperationException($"FAILED: silo {index} exited before it was ready: {errors.FirstOrDefault() ?? "no output"}"));
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _silos.Add(process);
        return ready.Task;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
