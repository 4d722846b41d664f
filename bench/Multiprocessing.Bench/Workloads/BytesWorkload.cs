using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>W7: a 64 MB byte[] to a worker and back.</summary>
internal sealed class BytesWorkload : Workload
{
    private const int Reps = 5;
    private byte[] _data = [];

    public override string Id => "W7";

    public override string Title => "64 MB byte[] to a worker and back (GB/s)";

    public override string? PythonWorkload => "bytes";

    public override void Prepare(Settings s)
    {
        _data = new byte[(int)s.Size(64L << 20, 16L << 20)];
        for (int i = 0; i < _data.Length; i++)
        {
            _data[i] = (byte)i;
        }
    }

    public override (long? N, string? Words, int? Reps, int? Chunksize) PythonArguments(Settings s) => (_data.Length, null, Reps + 1, null);

    public override IReadOnlyList<(string Column, Func<Guard, Figures> Run)> Variants(Settings s) =>
    [
        (WorkloadResult.Pool, g => RunPool(g.Track(new Pool(s.Processes)))),
        (WorkloadResult.Threaded, g => RunPool(g.Track(new ThreadedPool(s.Processes)))),
        (WorkloadResult.DotNet, _ =>
        {
            var there = new byte[_data.Length];
            var back = new byte[_data.Length];
            var samples = new double[Reps];
            for (int i = 0; i < Reps; i++)
            {
                samples[i] = Time(() =>
                {
                    Buffer.BlockCopy(_data, 0, there, 0, _data.Length);
                    Buffer.BlockCopy(there, 0, back, 0, _data.Length);
                });
            }

            double echo = Stats.Median(Children.BulkEcho(_data, Reps));
            return new Figures { ["gb_per_s"] = _data.Length / Stats.Median(samples) / 1e9, ["echo_gb_per_s"] = _data.Length / echo / 1e9 };
        }),
    ];

    public override Figures FromPython(JsonElement json) => Pick(json, "gb_per_s", "warm_gb_per_s");

    public override void Report(WorkloadResult r, Settings s)
    {
        static string Gb(double v) => Stats.G(v) + " GB/s";
        var h = Headline(r, "64 MB round trip", "gb_per_s", higherIsBetter: true, Gb, target: 10);
        r.Line(WorkloadResult.Threaded, c => $"{Gb(c.Median("gb_per_s"))} first, {Gb(c.Median("warm_gb_per_s"))} warm (no copy: same process)");
        r.Line(WorkloadResult.DotNet, c => $"raw Unix-socket echo to a child (store and forward) {Gb(c.Median("echo_gb_per_s"))}; 2 × memcpy in process {Gb(c.Median("gb_per_s"))}", "Floors");
        r.Target("≥ 10x Python (first round trip)", h.RatioCold, 10, $"{Stats.Ratio(h.RatioCold)} (Pool {Gb(h.OursCold)} / Python {h.PythonColdMethod} {Gb(h.PythonCold)})");
        r.Target("≥ 1.5 GB/s (first round trip)", h.OursCold / 1.5, 1, Gb(h.OursCold));
        r.Notes.Add($"{_data.Length / (1 << 20)} MB, `pool.Apply(IdentityBytes, data)`: the first call of the process is this full-size round trip (no smaller call before it), then {Reps} warm ones (median). " +
            "GB/s = payload bytes / round-trip seconds / 1e9, as pool_bench.py (the payload crosses twice within that time). The returned array is checked outside the timing.");
    }

    private Figures RunPool(IPool pool)
    {
        using (pool)
        {
            WaitForWorkers(pool);
            byte[]? back = null;
            double first = Time(() => back = pool.Apply(Tasks.IdentityBytes, _data));
            Check(back!);
            var samples = new double[Reps];
            for (int i = 0; i < Reps; i++)
            {
                samples[i] = Time(() => back = pool.Apply(Tasks.IdentityBytes, _data));
                Check(back!);
            }

            return new Figures { ["gb_per_s"] = _data.Length / first / 1e9, ["warm_gb_per_s"] = _data.Length / Stats.Median(samples) / 1e9 };
        }
    }

    private void Check(byte[] back)
    {
        if (!back.AsSpan().SequenceEqual(_data))
        {
            throw new InvalidOperationException("The bytes came back changed.");
        }
    }
}
