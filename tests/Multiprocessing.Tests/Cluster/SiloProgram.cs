using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Multiprocessing.Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Multiprocessing.Tests.Cluster;

/// <summary>
/// The entry point of this assembly when it runs as a silo of the cluster tests:
/// <c>dotnet Multiprocessing.Tests.dll silo &lt;clusterId&gt; &lt;primaryPort&gt; &lt;siloPort&gt; &lt;gatewayPort&gt;</c>.
/// It prints <see cref="ReadyLine"/> once the silo has joined, and stops when its standard input closes (the test
/// process ended), so no silo outlives the tests.
/// </summary>
public static class SiloProgram
{
    public const string ReadyLine = "SILO READY";

    public static int Main(string[] args)
    {
        if (args is not ["silo", var clusterId, var primary, var siloPort, var gatewayPort])
        {
            Console.Error.WriteLine("usage: Multiprocessing.Tests.dll silo <clusterId> <primaryPort> <siloPort> <gatewayPort>");
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
