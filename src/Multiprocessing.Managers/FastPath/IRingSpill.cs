namespace Multiprocessing.Managers.FastPath;

/// <summary>
/// Where a <see cref="SharedRing"/> keeps the items that do not fit in its ring: the manager's own list for
/// the queue. Called with the ring's lock held; the manager keeps the ring's spilled count in step.
/// </summary>
internal interface IRingSpill
{
    /// <summary>Appends an item after the ones already spilled.</summary>
    void Put(byte[] item);

    /// <summary>Removes the oldest spilled item (there is one: the spilled count said so).</summary>
    byte[] Take();
}
