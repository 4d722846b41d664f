namespace Multiprocessing.Protocol;

/// <summary>The kind byte that follows every frame's length. Values are part of the wire format.</summary>
internal enum FrameKind : byte
{
    /// <summary>Worker → parent, first frame: worker index, process id, the pool's secret.</summary>
    Hello = 1,

    /// <summary>Parent → worker: worker index, serializer, initializer and its arguments.</summary>
    Init = 2,

    /// <summary>Worker → parent: the initializer ran; tasks may come.</summary>
    Ready = 3,

    /// <summary>Worker → parent: the initializer threw (an exception record follows).</summary>
    InitFailed = 4,

    /// <summary>Parent → worker: function id and descriptor, sent once per worker before first use.</summary>
    Define = 5,

    /// <summary>Parent → worker: chunk id, function id, item count, serialized arguments.</summary>
    Chunk = 6,

    /// <summary>Worker → parent: chunk id, elapsed ticks, serialized results and per-item failures.</summary>
    Result = 7,

    /// <summary>Worker → parent: the whole chunk failed (function not found, result not serializable).</summary>
    ChunkFailed = 8,

    /// <summary>Parent → worker: finish the chunks already sent, then exit.</summary>
    Shutdown = 9,

    /// <summary>Parent → worker: chunk id whose tasks are cancelled (trip their token; skip it if not started).</summary>
    Cancel = 10,

    /// <summary>Worker → parent: recycle me (my memory passed MaxMemoryPerChild); not a crash.</summary>
    Retire = 11,

    /// <summary>Worker → parent: a task issues follow-up tasks (request id, chunksize, function descriptor, items).</summary>
    Submit = 12,

    /// <summary>Parent → worker: request id, ok byte, then the serialized results or an exception record.</summary>
    SubmitResult = 13,

    /// <summary>
    /// Either way: a large frame whose kind and body wait in the sender's shared-memory ring
    /// (int32 generation, int64 position, int32 length); see <see cref="BulkReceiver"/>.
    /// </summary>
    Bulk = 14,

    /// <summary>
    /// Parent → worker: chunk id to give back if it has not begun (an idle worker will run it instead); a
    /// worker that began it already ignores this and sends its result as usual.
    /// </summary>
    Revoke = 15,

    /// <summary>
    /// Worker → parent: the answer to a <see cref="Revoke"/>: chunk id, then 1 (given back: it will not run
    /// here) or 0 (it began already: its result follows as usual).
    /// </summary>
    Revoked = 16,
}
