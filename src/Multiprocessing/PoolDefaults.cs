namespace Multiprocessing;

/// <summary>The defaults of <see cref="PoolOptions"/>, named in one place.</summary>
public static class PoolDefaults
{
    /// <summary>The start method used when none is given: <see cref="StartMethod.Spawn"/>.</summary>
    public const StartMethod StartMethod = Multiprocessing.StartMethod.Spawn;

    /// <summary>How long a new worker may take to connect and run its initializer: 60 seconds.</summary>
    public static readonly TimeSpan WorkerStartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a cancelled running task may take to stop before its worker is killed: 2 seconds.</summary>
    public static readonly TimeSpan CancellationGracePeriod = TimeSpan.FromSeconds(2);

    /// <summary>How many initializer failures in a row break the pool: 3.</summary>
    public const int MaxInitializerFailures = 3;

    /// <summary>
    /// The most workers <see cref="PoolOptions.Processes"/> may ask for: 1024. Each worker process is a runtime
    /// of its own (tens of MB); past this a typo (<c>--processes 100000</c>) would exhaust memory or the
    /// per-user process limit before the first task runs.
    /// </summary>
    public const int MaxProcesses = 1024;

    /// <summary>The number of worker processes when none is given: <see cref="Environment.ProcessorCount"/>.</summary>
    public static int Processes => Environment.ProcessorCount;
}
