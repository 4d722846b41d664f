using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Multiprocessing.Orleans;
using Orleans;
using Orleans.Hosting;

namespace Multiprocessing.Bench;

/// <summary>A driver's side of C1: an Orleans client of a <see cref="LocalCluster"/> and a <see cref="ClusterPool"/> over it.</summary>
internal sealed class ClusterDriver : IDisposable
{
    private static readonly TimeSpan s_connect = TimeSpan.FromSeconds(60);
    private readonly IHost _client;

    private ClusterDriver(IHost client, ClusterPool pool, double connectSeconds)
    {
        _client = client;
        Pool = pool;
        ConnectSeconds = connectSeconds;
    }

    public ClusterPool Pool { get; }

    /// <summary>Seconds from building the client to a pool whose every silo's worker has run a warm-up task.</summary>
    public double ConnectSeconds { get; }

    /// <summary>Connects to the cluster that <paramref name="address"/> (<see cref="LocalCluster.ToString"/>) names, and waits for its <paramref name="silos"/> silos' workers.</summary>
    public static ClusterDriver Connect(string address, int silos)
    {
        var clock = Stopwatch.StartNew();
        string[] parts = address.Split(':');
        string id = parts[0];
        int[] gateways = [.. parts[1].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(c => c.UseLocalhostClustering(gateways, id, id));
        var client = builder.Build();
        ClusterPool? pool = null;
        try
        {
            client.StartAsync().WaitAsync(s_connect).GetAwaiter().GetResult();
            pool = new ClusterPool(client.Services.GetRequiredService<IClusterClient>());
            WaitForSilos(pool, silos);
            return new ClusterDriver(client, pool, clock.Elapsed.TotalSeconds);
        }
        catch
        {
            pool?.Dispose();
            client.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Pool.Dispose();
        try
        {
            _client.StopAsync().WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or OrleansException)
        {
            // The measurement is over; a slow goodbye is not a figure.
        }

        _client.Dispose();
    }

    /// <summary>
    /// Waits until the pool sees every silo and each silo's worker has run <see cref="Tasks.WorkerPid"/> (a function
    /// no timed call uses), as <see cref="Workload.WaitForWorkers"/> does for a local pool; worker indexes repeat across
    /// silos, so the workers are told apart by process id.
    /// </summary>
    private static void WaitForSilos(ClusterPool pool, int silos)
    {
        var seen = new HashSet<int>();
        var clock = Stopwatch.StartNew();
        while (seen.Count < silos)
        {
            if (clock.Elapsed > s_connect)
            {
                throw new TimeoutException($"TIMEOUT: the pool reached {seen.Count} of {silos} silos' workers within {s_connect.TotalSeconds:F0} s");
            }

            var pending = Enumerable.Range(0, 2 * Math.Max(silos, pool.Processes)).Select(i => pool.ApplyAsync(Tasks.WorkerPid, (long)i)).ToList();
            foreach (long named in pending.Select(r => r.Get()))
            {
                seen.Add((int)(uint)named);
            }
        }
    }
}
