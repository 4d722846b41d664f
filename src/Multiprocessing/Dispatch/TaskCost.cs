namespace Multiprocessing.Dispatch;

/// <summary>
/// What one task of a function costs in a worker, learnt from the run times of its chunks: the automatic
/// chunksize and a worker's credit are decided from it. A pure value, so tests drive it without processes.
/// </summary>
/// <remarks>
/// A chunk that was the function's first on its worker ran cold (the function, the argument reader and
/// the serializer's formatters JIT-compiled on the way) and can cost a thousand times a warm one; a
/// warm-up <c>Apply</c> is exactly such a chunk. So cold runs never set the chunksize, and warm runs count
/// only once enough of them add up (<see cref="MinWarmItems"/> tasks or <see cref="MinWarmTicks"/> of work),
/// because in a one-item chunk the chunk's own fixed costs pass for the task's. Runs are weighed by their
/// items: a chunk of 10,000 tasks says more than one of a single task. A class, not a struct: a dictionary
/// of references runs the framework's shared precompiled code instead of JIT-compiling in every parent.
/// </remarks>
internal sealed class TaskCost
{
    /// <summary>Warm tasks that make a cost, whatever they took.</summary>
    internal const int MinWarmItems = 64;

    /// <summary>Warm work that makes a cost, however few tasks did it: a chunk's fixed costs (tens of microseconds) are then noise.</summary>
    internal static readonly long MinWarmTicks = TimeSpan.FromMilliseconds(1).Ticks;

    /// <summary>Evidence past this much work is halved, so a function whose cost drifts is followed.</summary>
    private static readonly long s_maxWarmTicks = TimeSpan.FromSeconds(2).Ticks;

    private double _warmItems;
    private double _warmTicks;
    private double _coldItems;
    private double _coldTicks;

    /// <summary>The cost per task from enough warm runs, or <see langword="null"/>: the only figure a chunksize is made from.</summary>
    public double? TicksPerTask
        => _warmItems >= MinWarmItems || _warmTicks >= MinWarmTicks ? _warmTicks / _warmItems : null;

    /// <summary>
    /// The best guess at a task's cost for a worker's credit: warm runs if any, else cold ones (an
    /// over-estimate, which only keeps a worker from taking more chunks), else <see langword="null"/>.
    /// </summary>
    public double? Guess
        => _warmItems > 0 ? _warmTicks / _warmItems : _coldItems > 0 ? _coldTicks / _coldItems : null;

    /// <summary>Records a chunk of <paramref name="items"/> tasks that ran in <paramref name="ticks"/>.</summary>
    /// <param name="items">The chunk's tasks.</param>
    /// <param name="ticks">Its run time in the worker.</param>
    /// <param name="cold">Whether it was the function's first chunk on its worker.</param>
    public void Add(int items, long ticks, bool cold)
    {
        if (items <= 0 || ticks < 0)
        {
            return;
        }

        if (cold)
        {
            _coldItems += items;
            _coldTicks += ticks;
            return;
        }

        _warmItems += items;
        _warmTicks += ticks;
        if (_warmTicks > s_maxWarmTicks)
        {
            _warmItems /= 2;
            _warmTicks /= 2;
        }
    }
}
