using Orleans;

namespace Multiprocessing.Orleans.Grains;

/// <summary>One chunk on its way to a silo: bytes the silo does not read beyond the function's name.</summary>
/// <param name="Function">The function's descriptor (MessagePack), as a local worker's Define frame carries it.</param>
/// <param name="Payload">The serialized arguments, exactly as a local worker receives them.</param>
/// <param name="Count">How many tasks.</param>
/// <param name="Attempt">The driver's attempt id (a reply counts only for the chunk's current attempt).</param>
/// <param name="Driver">The driver's id: with <paramref name="Attempt"/>, what the silo reports it holds.</param>
[GenerateSerializer]
[Immutable]
internal sealed record ChunkRequest([property: Id(0)] byte[] Function, [property: Id(1)] byte[] Payload, [property: Id(2)] int Count, [property: Id(3)] long Attempt, [property: Id(4)] Guid Driver);
