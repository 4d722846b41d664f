using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;

namespace Multiprocessing.Tests.Cluster;

/// <summary>
/// A 3-silo cluster of separate OS processes on loopback (free ports, tuned membership; silo 0 is the primary,
/// holding the development membership table) and a client in the test process, shared by the cluster tests.
/// Each silo is this test assembly run as <see cref="SiloProgram"/>, with a local pool of one worker process.
/// </summary>
public sealed class ClusterFixture : IDisposable
{
    public const int Silos = 3;

    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(90);

    private readonly string _clusterId = "mp-tests-" + Guid.NewGuid().ToString("N")[..8];
    private readonly int[] _siloPorts;
    private readonly int[] _gatewayPorts;
    private readonly Process?[] _silos;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly IHost _client;

    public ClusterFixture()
        : this(Silos)
    {
    }

    /// <summary>A cluster of its own, of <paramref name="silos"/> silos, for a test that kills them all.</summary>
    internal ClusterFixture(int silos)
    {
        _siloPorts = new int[silos];
        _gatewayPorts = new int[silos];
        _silos = new Process?[silos];
        var ports = ClusterSample.LoopbackPorts.Free(2 * silos);
        for (int i = 0; i < silos; i++)
        {
            _siloPorts[i] = ports[2 * i];
            _gatewayPorts[i] = ports[(2 * i) + 1];
        }

        try
        {
            // Every process starts at once (a silo's start-up is mostly the runtime's and Orleans' own), but the
            // others join only once the primary, which holds the membership table, is up; the client connects meanwhile.
            var primary = Start(0);
            var others = Enumerable.Range(1, silos - 1).Select(i => Start(i, gated: true)).ToArray();
            Ready(primary);
            foreach (var p in _silos.Skip(1))
            {
                p!.StandardInput.WriteLine("join");
                p.StandardInput.Flush();
            }

            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.UseOrleansClient(c => c.UseLocalhostClustering(_gatewayPorts, _clusterId, _clusterId));
            _client = builder.Build();
            Ready([.. others, _client.StartAsync()]);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IClusterClient Client => _client.Services.GetRequiredService<IClusterClient>();

    /// <summary>The silo process at <paramref name="index"/> (null while killed).</summary>
    public int? ProcessId(int index) => _silos[index] is { HasExited: false } p ? p.Id : null;

    /// <summary>Whether a silo address (parsable form, <c>127.0.0.1:port@generation</c>) is the silo at <paramref name="index"/>.</summary>
    public bool IsSilo(string address, int index) => address.Contains($":{_siloPorts[index]}@", StringComparison.Ordinal);

    /// <summary>SIGKILLs the silo at <paramref name="index"/> and its workers' process group stays to its pool's own death watch.</summary>
    public void Kill(int index)
    {
        var p = _silos[index] ?? throw new InvalidOperationException($"Silo {index} is not running.");
        p.Kill();
        p.WaitForExit(10_000);
        _silos[index] = null;
        p.Dispose();
    }

    /// <summary>Starts the silo at <paramref name="index"/> again on its ports; completes once it has joined.</summary>
    public Task Start(int index) => Start(index, gated: false);

    private static void Ready(params Task[] starts)
    {
        if (!Task.WaitAll(starts, s_readyTimeout))
        {
            throw new TimeoutException($"The test cluster was not ready within {s_readyTimeout.TotalSeconds} s.");
        }
    }

    private Task Start(int index, bool gated)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(typeof(SiloProgram).Assembly.Location);
        info.ArgumentList.Add("silo");
        info.ArgumentList.Add(_clusterId);
        info.ArgumentList.Add(_siloPorts[0].ToString());
        info.ArgumentList.Add(_siloPorts[index].ToString());
        info.ArgumentList.Add(_gatewayPorts[index].ToString());
        if (gated)
        {
            info.ArgumentList.Add(SiloProgram.GatedFlag);
        }
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == SiloProgram.ReadyLine)
            {
                ready.TrySetResult();
            }
            else if (e.Data is not null)
            {
                Note($"silo {index}: {e.Data}");
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Note($"silo {index} stderr: {e.Data}");
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"Silo {index} exited before it was ready:{Environment.NewLine}{string.Join(Environment.NewLine, _output.TakeLast(30))}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _silos[index] = process;
        return ready.Task;
    }

    /// <summary>The silos' last lines of output, for a failing test's message.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output.TakeLast(40));

    public void Dispose()
    {
        try
        {
            _client?.StopAsync().WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or OrleansException)
        {
        }

        _client?.Dispose();
        for (int i = _silos.Length - 1; i >= 0; i--)
        {
            if (_silos[i] is { } p)
            {
                try
                {
                    p.Kill(entireProcessTree: true);
                    p.WaitForExit(10_000);
                }
                catch (InvalidOperationException)
                {
                }

                p.Dispose();
                _silos[i] = null;
            }
        }
    }

    private void Note(string line)
    {
        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
