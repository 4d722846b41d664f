using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Multiprocessing.Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Multiprocessing.Tests.Cluster;

/// <summary>
/// The entry point of this assembly when it runs as a silo of the cluster tests:
/// <c>dotnet Multiprocessing.Tests.dll silo &lt;clusterId&gt; &lt;primaryPort&gt; &lt;siloPort&gt; &lt;gatewayPort&gt; [gated]</c>.
/// It prints <see cref="ReadyLine"/> once the silo has joined, and stops when its standard input closes (the test
/// process ended), so no silo outlives the tests. A gated silo builds its host and then waits for one line on its
/// standard input before it joins: the fixture starts every process at once and lets the others join once the
/// primary, which holds the membership table, is up.
/// </summary>
public static class SiloProgram
{
    public const string ReadyLine = "SILO READY";

    public const string GatedFlag = "gated";

    public static int Main(string[] args)
    {
        if (args is not ["silo", var clusterId, var primary, var siloPort, var gatewayPort, ..] || args.Length > 6 || (args.Length == 6 && args[5] != GatedFlag))
        {
            Console.Error.WriteLine($"usage: Multiprocessing.Tests.dll silo <clusterId> <primaryPort> <siloPort> <gatewayPort> [{GatedFlag}]");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseDevelopmentClustering(new IPEndPoint(IPAddress.Loopback, int.Parse(primary)));
            silo.ConfigureEndpoints(IPAddress.Loopback, int.Parse(siloPort), int.Parse(gatewayPort));
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = clusterId;
            });
            ClusterTuning.Apply(silo.Services);
            silo.AddMultiprocessingWorkers(new PoolOptions { Processes = 1 });
        });
        using var host = builder.Build();
        if (args.Length == 6 && Console.In.ReadLine() is null)
        {
            return 0;
        }

        host.Start();
        Console.Out.WriteLine(ReadyLine);
        Console.Out.Flush();

        // The parent holds our standard input: its end (exit, kill) ends the silo.
        while (Console.In.ReadLine() is not null)
        {
        }

        host.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        return 0;
    }
}
