using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Multiprocessing;
using Spectre.Console;

namespace HashWords;

/// <summary>
/// The guide's example "Hash a Dictionary of Words": SHA-512 every word of a word list, first in a loop,
/// then with <c>Pool.Map</c>, and compare. Python's version is
/// <c>set(pool.map(hash_word, words))</c>; bench/python/pool_bench.py (workload W1) runs exactly that.
/// </summary>
internal static class Program
{
    /// <summary>Words generated when no file is given.</summary>
    private const int DefaultWordCount = 1_000_000;

    public static int Main(string[] args)
    {
        var pathArgument = new Argument<FileInfo?>("path")
        {
            Description = "A word list, one word per line. Default: 1,000,000 generated words (the same list as bench/python/pool_bench.py).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var processesOption = new Option<int?>("--processes", "-p")
        {
            Description = "Worker processes. Default: one per processor.",
        };
        var chunksizeOption = new Option<int?>("--chunksize", "-c")
        {
            Description = "Words per message to a worker. Default: Pool.Map's automatic choice, ceil(words / (4 x processes)).",
        };
        var progressOption = new Option<bool>("--progress")
        {
            Description = "Show a live progress bar while the pool hashes (Spectre.Console), fed by Map's progress reports.",
        };
        // Parsed here rather than by the default converter, whose error names the type System.Nullable`1[System.Int32].
        processesOption.CustomParser = r => ParseInteger(r, "--processes", 1, PoolDefaults.MaxProcesses);
        chunksizeOption.CustomParser = r => ParseInteger(r, "--chunksize", 1, int.MaxValue);
        pathArgument.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (token.Value.StartsWith('-'))
                {
                    r.AddError($"Unknown option '{token.Value}'.");
                }
                else if (Directory.Exists(token.Value))
                {
                    r.AddError($"'{token.Value}' is a directory; give a word list file, one word per line.");
                }
                else if (!File.Exists(token.Value))
                {
                    r.AddError($"No such file: '{token.Value}'.");
                }
            }
        });

        var root = new RootCommand("Hash a dictionary of words with SHA-512, serially and with a process pool (the guide's Pool.map example).")
        {
            pathArgument,
            processesOption,
            chunksizeOption,
            progressOption,
        };
        root.SetAction(parse => Run(parse.GetValue(pathArgument), parse.GetValue(processesOption), parse.GetValue(chunksizeOption), parse.GetValue(progressOption)));
        return root.Parse(args).Invoke();
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; otherwise a parse error naming the option.</summary>
    private static int? ParseInteger(System.CommandLine.Parsing.ArgumentResult result, string name, int min, int max)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
        {
            result.AddError($"{name} needs a whole number (was '{text}').");
            return null;
        }

        if (n < min || n > max)
        {
            result.AddError(max == int.MaxValue ? $"{name} must be at least {min} (was {n})." : $"{name} must be between {min} and {max} (was {n}).");
            return null;
        }

        return n;
    }

    /// <summary>The task (see <see cref="WordHash.HashWord"/>, shared with the benchmark).</summary>
    /// <param name="word">The word.</param>
    /// <returns>128 hex digits.</returns>
    public static string HashWord(string word) => WordHash.HashWord(word);

    /// <summary>Holds a worker for a moment and names it, so that a warm-up reaches every worker.</summary>
    private static int WorkerProcessId(int _)
    {
        Thread.Sleep(5);
        return Environment.ProcessId;
    }

    private static int Run(FileInfo? path, int? processes, int? chunksize, bool showProgress)
    {
        string[] words;
        string source;
        if (path is null)
        {
            words = WordList.Generate(DefaultWordCount);
            source = $"the built-in generator (xorshift64, seed 0x{WordList.Seed:X}; first words: {string.Join(' ', words.Take(3))})";
        }
        else
        {
            words = WordList.Load(path.FullName);
            source = path.FullName;
        }

        Console.WriteLine($"Loaded {words.Length} words from {source}");
        if (words.Length == 0)
        {
            Console.WriteLine("Nothing to hash.");
            return 0;
        }

        // Serial: the loop the pool is meant to beat.
        var clock = Stopwatch.StartNew();
        var serial = new HashSet<string>();
        foreach (string word in words)
        {
            serial.Add(HashWord(word));
        }

        TimeSpan serialTime = clock.Elapsed;
        Console.WriteLine($"Serial:  Done, with {serial.Count} hashes in {Seconds(serialTime)}");

        // Pool: the guide's `with Pool() as pool: known_words = set(pool.map(hash_word, words))`.
        clock.Restart();
        using var pool = processes is { } p ? new Pool(p) : new Pool();

        // Wait until every worker has run a task, so that the Map below is timed alone (pool_bench.py does the same).
        var seen = new HashSet<int>();
        for (int attempt = 0; attempt < 20 && seen.Count < pool.Processes; attempt++)
        {
            seen.UnionWith(pool.Map(WorkerProcessId, Enumerable.Range(0, 2 * pool.Processes), chunksize: 1));
        }

        TimeSpan startup = clock.Elapsed;
        clock.Restart();
        // With a bar, smaller chunks than the automatic choice, so that it moves smoothly.
        chunksize = showProgress ? chunksize ?? Math.Max(1, words.Length / 200) : chunksize;
        var pooled = showProgress ? MapWithProgressBar(pool, words, chunksize) : new HashSet<string>(pool.Map(HashWord, words, chunksize));
        TimeSpan poolTime = clock.Elapsed;
        string how = chunksize is null ? "automatic chunksize" : $"chunksize {chunksize}";
        Console.WriteLine($"Pool:    Done, with {pooled.Count} hashes in {Seconds(poolTime)} ({pool.Processes} worker processes, {how}; workers started in {Seconds(startup)}, not included)");

        double speedup = serialTime / poolTime;
        double withStartup = serialTime / (poolTime + startup);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Speed-up: {speedup:F2}x over serial ({withStartup:F2}x counting the pool's start-up)"));

        bool same = serial.SetEquals(pooled);
        Console.WriteLine(same ? "Check:   the serial and pool hash sets are equal." : "Check:   FAILED, the serial and pool hash sets differ!");
        return same ? 0 : 1;
    }

    /// <summary>The same Map, with a live bar: mpire's <c>progress_bar=True</c>, from the call's progress reports.</summary>
    private static HashSet<string> MapWithProgressBar(Pool pool, string[] words, int? chunksize)
    {
        HashSet<string> result = [];
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var bar = context.AddTask("Hashing words", maxValue: words.Length);
                var sink = new InlineProgress(p => bar.Value = p.Completed + p.Failed);
                result = new HashSet<string>(pool.Map(HashWord, words, chunksize, sink));
                bar.Value = words.Length;
            });
        return result;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture) + " s";
}

/// <summary>Reports on the reporting thread (Progress&lt;T&gt; would post to the thread pool; not needed here).</summary>
internal sealed class InlineProgress(Action<PoolProgress> report) : IProgress<PoolProgress>
{
    public void Report(PoolProgress value) => report(value);
}
