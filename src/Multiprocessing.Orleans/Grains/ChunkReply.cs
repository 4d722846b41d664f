using Orleans;

namespace Multiprocessing.Orleans.Grains;

/// <summary>What a silo did with a chunk.</summary>
/// <param name="Outcome">Which of the outcomes.</param>
/// <param name="Body">For <see cref="ChunkOutcome.Result"/> the worker's Result frame body; for a failure a
/// MessagePack exception record.</param>
/// <param name="RanCold">Whether the silo's worker ran this function for the first time.</param>
[GenerateSerializer]
[Immutable]
internal sealed record ChunkReply([property: Id(0)] ChunkOutcome Outcome, [property: Id(1)] byte[] Body, [property: Id(2)] bool RanCold);

/// <summary>How a chunk ended on a silo.</summary>
[GenerateSerializer]
internal enum ChunkOutcome
{
    /// <summary>It ran: results and per-task failures, in a Result frame body.</summary>
    Result = 0,

    /// <summary>It failed as a whole in the silo (a crashed worker, a broken pool): a result, not a retry.</summary>
    Failed = 1,

    /// <summary>The silo could not take it (stopping): run it elsewhere.</summary>
    Refused = 2,

    /// <summary>The silo runs another build of the function's assembly, or cannot load it: the call fails.</summary>
    Unrunnable = 3,
}
