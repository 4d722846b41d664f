using System.Globalization;
using Microsoft.Extensions.Hosting;
using Multiprocessing;

namespace HostedPool;

/// <summary>Squares some numbers in the pool's worker processes, prints them, and stops the application.</summary>
internal sealed class SquaresWorker(IPool pool, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            IReadOnlyList<(int Square, int Pid)> results = await pool.MapAsync(SquareInWorker, Enumerable.Range(1, 10), chunksize: 1)
                .AsTask()
                .WaitAsync(stoppingToken)
                .ConfigureAwait(false);

            Console.WriteLine("squares: " + string.Join(", ", results.Select(r => r.Square.ToString(CultureInfo.InvariantCulture))));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"computed by worker processes {string.Join(", ", results.Select(r => r.Pid).Distinct().Order())}; this process is {Environment.ProcessId}"));
        }
        finally
        {
            // The sample's job is done: stopping the host drains the pool and lets `dotnet run` end.
            lifetime.StopApplication();
        }
    }

    // Static: tasks for a Pool run in another process, where only the method travels.
    private static (int Square, int Pid) SquareInWorker(int x) => (x * x, Environment.ProcessId);
}
