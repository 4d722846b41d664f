// The guide's hash example on a local Orleans cluster: `dotnet run --project samples/Cluster` starts three silos
// (this same program, run as `silo <primaryPort> <siloPort> <gatewayPort>`, each with a local pool of worker
// processes, on ports the system finds free) and then hashes the words on the cluster with ClusterPool. The same
// application runs on every silo and on the driver.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using ClusterSample;
using HashWords;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Multiprocessing;
using Multiprocessing.Orleans;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

const int Silos = 3;
const string ClusterName = "multiprocessing-sample";

if (args is ["silo", var primary, var siloPort, var gatewayPort])
{
    static int Port(string text) => int.Parse(text, CultureInfo.InvariantCulture);
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.UseOrleans(silo =>
    {
        // Development clustering: silo 0 keeps the membership table. In production use a membership provider
        // (ADO.NET, Redis, Azure, Kubernetes) and secure the connections with TLS (see the README).
        silo.UseDevelopmentClustering(new IPEndPoint(IPAddress.Loopback, Port(primary)));
        silo.ConfigureEndpoints(IPAddress.Loopback, Port(siloPort), Port(gatewayPort));
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterName, ClusterName));
        silo.AddMultiprocessingWorkers(new PoolOptions { Processes = 2 });
    });
    using var host = builder.Build();
    await host.StartAsync();
    Console.WriteLine("ready");
    while (Console.ReadLine() is not null)
    {
        // The driver holds our standard input; when it exits, so do we.
    }

    await host.StopAsync();
    return 0;
}

var silos = new List<Process>();
try
{
    // Silo 0 keeps the membership table: it starts first, and the others join through its port.
    int[] ports = LoopbackPorts.Free(2 * Silos);
    int[] siloPorts = ports[..Silos];
    int[] gateways = ports[Silos..];
    for (int i = 0; i < Silos; i++)
    {
        silos.Add(await StartSiloAsync(i, siloPorts[0], siloPorts[i], gateways[i]));
    }

    var clientBuilder = Host.CreateApplicationBuilder();
    clientBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
    clientBuilder.UseOrleansClient(c => c.UseLocalhostClustering(gateways, ClusterName, ClusterName));
    using var client = clientBuilder.Build();
    await client.StartAsync();

    string[] words = [.. Enumerable.Range(0, 200_000).Select(i => $"word{i}")];
    Console.WriteLine($"Hashing {words.Length} words on {Silos} silos");
    var clock = Stopwatch.StartNew();
    using (var pool = new ClusterPool(client.Services.GetRequiredService<IClusterClient>()))
    {
        Console.WriteLine($"The cluster has {pool.Processes} worker processes so far");
        IReadOnlyList<string> hashes = pool.Map(WordHash.HashWord, words);
        HashSet<string> known = [.. hashes];
        Console.WriteLine($"Done, with {known.Count} hashes in {clock.Elapsed.TotalSeconds:0.0} s");

        // In the words' order, whichever silo hashed them.
        Console.WriteLine($"{words[0]}: {hashes[0][..16]}..., {words[^1]}: {hashes[^1][..16]}...");
    }

    await client.StopAsync();
    return 0;
}
finally
{
    foreach (var silo in silos)
    {
        silo.StandardInput.Close();
        if (!silo.WaitForExit(10_000))
        {
            silo.Kill(entireProcessTree: true);
        }

        silo.Dispose();
    }
}

static async Task<Process> StartSiloAsync(int index, int primary, int siloPort, int gatewayPort)
{
    var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
    {
        info.ArgumentList.Add(typeof(WordHash).Assembly.Location);
    }

    info.ArgumentList.Add("silo");
    foreach (int port in new[] { primary, siloPort, gatewayPort })
    {
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
    }

    var process = Process.Start(info)!;
    while (await process.StandardOutput.ReadLineAsync() is { } line)
    {
        if (line == "ready")
        {
            Console.WriteLine($"Silo {index} ready (pid {process.Id})");
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            return process;
        }
    }

    throw new InvalidOperationException($"Silo {index} exited before it was ready.");
}
