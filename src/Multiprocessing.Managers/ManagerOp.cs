namespace Multiprocessing.Managers;

/// <summary>The operation a request asks of a shared object (one byte on the wire).</summary>
internal enum ManagerOp : byte
{
    /// <summary>Cancels the request in flight on this connection whose sequence number is the argument.</summary>
    Cancel = 1,
    Acquire,
    Release,
    Count,
    Clear,
    Snapshot,
    EventSet,
    EventClear,
    EventIsSet,
    EventWait,
    ConditionWait,
    ConditionNotify,
    BarrierWait,
    BarrierAbort,
    BarrierReset,
    BarrierParties,
    BarrierIsBroken,
    QueuePut,
    QueueGet,
    QueueIsFull,
    ValueGet,
    ValueSet,
    ItemGet,
    ItemSet,
    ItemTryAdd,
    ItemRemove,
    ItemContains,
    ListAdd,
    ListInsert,

    /// <summary>Asks for the shared-memory segment of an object: reply Ok with its path and size, or False (use the socket).</summary>
    Segment,

    /// <summary>Appends an item that did not fit in a fast-path queue's ring (sent holding the ring's lock).</summary>
    QueueSpillPut,

    /// <summary>Removes the oldest spilled item of a fast-path queue (sent holding the ring's lock).</summary>
    QueueSpillGet,

    /// <summary>JoinableQueue: one item put earlier is fully processed (Python's <c>task_done()</c>).</summary>
    QueueTaskDone,

    /// <summary>JoinableQueue: waits until every item put has been marked done (Python's <c>join()</c>).</summary>
    QueueJoin,

    /// <summary>A list's first index of an item equal to <c>Data1</c> (serialized form), or −1.</summary>
    ListIndexOf,

    /// <summary>Removes a list's first item equal to <c>Data1</c>; <c>False</c> when there is none.</summary>
    ListRemoveValue,

    /// <summary>Removes a dictionary's key <c>Data1</c> only if its value equals <c>Data2</c>.</summary>
    ItemRemoveIfValue,

    /// <summary>Whether a lock is held by anyone: Python's <c>locked()</c>.</summary>
    LockIsHeld,
}

/// <summary>How a request ended (one byte on the wire).</summary>
internal enum ReplyStatus : byte
{
    /// <summary>Done; the value or payload carries the result.</summary>
    Ok = 0,

    /// <summary>Not done: timed out, not found, already present.</summary>
    False = 1,

    /// <summary>Acquired, but the previous holder's process died holding it; the value is its pid.</summary>
    Abandoned = 2,

    /// <summary>Cancelled by the client's token.</summary>
    Cancelled = 3,

    /// <summary>Refused; the value is a <see cref="ReplyError"/> and the message says why.</summary>
    Error = 4,

    /// <summary>The barrier is broken (aborted, reset, or a party timed out, was cancelled or died).</summary>
    BrokenBarrier = 5,
}

/// <summary>The exception a refused request becomes on the client.</summary>
internal enum ReplyError
{
    InvalidOperation = 0,
    SynchronizationLock = 1,
    SemaphoreFull = 2,
    KeyNotFound = 3,
    ArgumentOutOfRange = 4,
}
