using Orleans;
using Orleans.Concurrency;

namespace Multiprocessing.Orleans.Grains;

/// <summary>
/// The one grain of each silo that takes chunks (its key is the silo's address; <see cref="Silo.SiloPlacementAttribute"/>
/// activates it there). Reentrant: every call awaits the silo's process pool, so many chunks are in flight at once.
/// </summary>
internal interface IChunkGrain : IGrainWithStringKey
{
    /// <summary>Runs one chunk through the silo's local pool and returns its Result body as bytes.</summary>
    /// <remarks>No response timeout of Orleans' 30 s: a chunk may run for hours; a lost silo is noticed by the
    /// driver's watcher instead, which cancels the call.</remarks>
    [AlwaysInterleave]
    [ResponseTimeout("10675199.02:48:05")]
    Task<ChunkReply> Run(ChunkRequest request, CancellationToken cancellationToken);

    /// <summary>This silo's view of the cluster's membership, what it offers, and which of <paramref name="driver"/>'s chunks it holds.</summary>
    [AlwaysInterleave]
    Task<SiloView> View(Guid driver);
}
