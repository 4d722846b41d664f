namespace Multiprocessing.Workers;

/// <summary>Where a worker process is in its life, as the parent sees it.</summary>
internal enum WorkerState
{
    /// <summary>Started; not yet connected or its initializer not yet done.</summary>
    Starting,

    /// <summary>Takes chunks.</summary>
    Ready,

    /// <summary>Has run its MaxTasksPerChild: takes no more chunks, is told to exit when its last one is done.</summary>
    Retiring,

    /// <summary>Was told to exit; its end is expected, not a crash.</summary>
    Stopping,

    /// <summary>Gone.</summary>
    Dead,
}
