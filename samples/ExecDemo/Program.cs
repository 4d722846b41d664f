using System.Globalization;
using Multiprocessing;

// Publishing demo: `ExecDemo exec` (self-contained / single-file) or `ExecDemo spawn` (framework-dependent).
// Prints: sum=<sum of squares 0..999> workers=<distinct worker pids, comma-separated> parent=<this pid>
Pool.FreezeSupport(); // In a worker started by StartMethod.Exec this runs the worker and never returns.

StartMethod method = args.Length > 0 && args[0].Equals("spawn", StringComparison.OrdinalIgnoreCase) ? StartMethod.Spawn : StartMethod.Exec;
using var pool = new Pool(new PoolOptions { Processes = 2, StartMethod = method });

// First, while the pool knows nothing of task costs: one item per chunk, each taking a moment, so that
// both workers get some. Returns the worker pids as seen inside tasks.
IEnumerable<int> pids = pool.Map(
    static (int _) =>
    {
        Thread.Sleep(5);
        return WorkerInfo.IsInWorker ? WorkerInfo.Current.ProcessId : -1;
    },
    Enumerable.Range(0, 100),
    chunksize: 1).Distinct().Order();
int sum = pool.Map(static (int x) => x * x, Enumerable.Range(0, 1000)).Sum();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sum={sum} workers={string.Join(',', pids)} parent={Environment.ProcessId}"));
return 0;
