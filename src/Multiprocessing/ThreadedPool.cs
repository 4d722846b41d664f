using Multiprocessing.Threading;

namespace Multiprocessing;

/// <summary>
/// The pool API on threads of this process: Python's <c>multiprocessing.pool.ThreadPool</c>. Accepts any
/// delegate (closures and instance methods too) and serializes nothing. Use it for I/O-bound work or to
/// test code written for <see cref="Pool"/>.
/// </summary>
public sealed class ThreadedPool : PoolBase
{
    /// <summary>Creates a pool with one thread per processor.</summary>
    public ThreadedPool()
        : this(new PoolOptions())
    {
    }

    /// <summary>Creates a pool with <paramref name="processes"/> threads.</summary>
    /// <param name="processes">The number of worker threads, at least 1.</param>
    /// <exception cref="ArgumentException"><paramref name="processes"/> is less than 1.</exception>
    public ThreadedPool(int processes)
        : this(new PoolOptions { Processes = processes })
    {
    }

    /// <summary>Creates a pool from options.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public ThreadedPool(PoolOptions options)
        : base(options, static o => new ThreadExecutor(o))
    {
    }

    /// <summary>A pool dropped without <see cref="PoolBase.Dispose"/> ends its threads when it is collected, with a warning.</summary>
    ~ThreadedPool() => Dispatch.UndisposedPool.Finalized(this, nameof(ThreadedPool));
}
