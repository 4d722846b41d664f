using Multiprocessing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// Wires the pool's activity source and meter (both named "Multiprocessing") to OpenTelemetry's console
// exporter: one trace per call, with a span per chunk run in a worker process under it, and the pool's
// counters. While it runs, `dotnet-counters monitor --counters Multiprocessing -n Telemetry` shows them live.
using var tracing = Sdk.CreateTracerProviderBuilder()
    .AddSource("Multiprocessing")
    .AddConsoleExporter()
    .Build();
using var metrics = Sdk.CreateMeterProviderBuilder()
    .AddMeter("Multiprocessing")
    .AddConsoleExporter()
    .Build();

using (var pool = new Pool(2))
{
    var squares = pool.Map(static (int x) => x * x, Enumerable.Range(0, 40), chunksize: 10);
    Console.WriteLine($"sum of squares: {squares.Sum()}");
    try
    {
        pool.Apply(static (string s) => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture), "not a number");
    }
    catch (FormatException ex)
    {
        Console.WriteLine($"a failed task shows in the metrics too: {ex.Message}");
    }

    pool.Close();
    pool.Join();
}

metrics.ForceFlush();
