using System.Globalization;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Multiprocessing.Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Multiprocessing.Bench;

/// <summary>
/// This program as a silo of C1's local clusters: <c>--silo-child CLUSTER PRIMARYPORT SILOPORT GATEWAYPORT K</c>.
/// A local pool of one worker (whose <see cref="Tasks.Burn"/> uses K); prints <see cref="ReadyLine"/> once joined,
/// and stops when its standard input closes, so that no silo outlives the benchmark.
/// </summary>
internal static class SiloChild
{
    public const string Flag = "--silo-child";
    public const string ReadyLine = "SILO READY";

    public static int Run(string[] args)
    {
        if (args is not [_, var cluster, var primary, var siloPort, var gatewayPort, var k])
        {
            Console.Error.WriteLine($"usage: {Flag} <cluster> <primaryPort> <siloPort> <gatewayPort> <k>");
            return 2;
        }

        static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseDevelopmentClustering(new IPEndPoint(IPAddress.Loopback, Int(primary)));
            silo.ConfigureEndpoints(IPAddress.Loopback, Int(siloPort), Int(gatewayPort));
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster, cluster));
            silo.AddMultiprocessingWorkers(new PoolOptions { Processes = 1, Initializer = (Action<int>)Tasks.SetK, InitArgs = [Int(k)] });
        });
        using var host = builder.Build();
        host.Start();
        Console.WriteLine(ReadyLine);
        Console.Out.Flush();
        while (Console.In.ReadLine() is not null)
        {
        }

        host.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        return 0;
    }
}
