namespace Multiprocessing;

/// <summary>
/// How far a Map, Starmap or Imap call has got: reported to the call's <see cref="IProgress{T}"/> at most
/// ten times a second and once at the end, so it costs nothing measurable (and nothing at all when no
/// sink is given). The counterpart of mpire's <c>progress_bar=True</c> and of tqdm around imap.
/// </summary>
/// <param name="Completed">Items that finished successfully.</param>
/// <param name="Failed">Items that failed.</param>
/// <param name="Total">The number of items, when known (always for Map; for Imap once the input has ended).</param>
/// <param name="Elapsed">Time since the call was issued.</param>
public sealed record PoolProgress(long Completed, long Failed, long? Total, TimeSpan Elapsed)
{
    /// <summary>Items settled (completed or failed) per second so far.</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? (Completed + Failed) / Elapsed.TotalSeconds : 0;

    /// <summary>The estimated time left, when the total is known and work has started.</summary>
    public TimeSpan? Eta => Total is { } total && Rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - Completed - Failed) / Rate) : null;

    /// <summary>True when every item has settled.</summary>
    public bool IsComplete => Total is { } total && Completed + Failed >= total;
}
