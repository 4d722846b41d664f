namespace Multiprocessing.Managers;

/// <summary>One request to a shared object. Fields an operation does not use are zero or null.</summary>
internal readonly record struct ManagerRequest
{
    public ManagerOp Op { get; init; }

    public int ObjectId { get; init; }

    /// <summary>The calling thread, for owned locks (RLock, Condition).</summary>
    public int Thread { get; init; }

    /// <summary>How long a blocking operation may wait: -1 forever, 0 not at all.</summary>
    public long TimeoutMs { get; init; }

    public long Argument { get; init; }

    public byte[]? Data1 { get; init; }

    public byte[]? Data2 { get; init; }
}
