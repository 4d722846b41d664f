using System.Globalization;
using Multiprocessing;
using Multiprocessing.Managers;

// Publishing demo: `ExecDemo exec` (self-contained / single-file) or `ExecDemo spawn` (framework-dependent).
// Prints: sum=<sum of squares 0..999> workers=<distinct worker pids, comma-separated> parent=<this pid>
//         managed=<8, counted by tasks through Manager proxies> in=<the pids that counted>
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

// Manager proxies passed to tasks: the workers load Multiprocessing.Managers from the app (its folder or its bundle).
using var manager = new Manager();
var counter = manager.Value(0);
var sharedLock = manager.Lock();
IEnumerable<int> counted = pool.Map(
    static ((ValueProxy<int> Counter, LockProxy Lock) shared) =>
    {
        using (shared.Lock.Acquire())
        {
            shared.Counter.Value += 1;
        }

        return WorkerInfo.IsInWorker ? WorkerInfo.Current.ProcessId : -1;
    },
    Enumerable.Repeat((counter, sharedLock), 8),
    chunksize: 1).Distinct().Order();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"managed={counter.Value} in={string.Join(',', counted)}"));
return 0;
