namespace Multiprocessing.Bench;

/// <summary>M2: put + get on a Manager Queue proxy.</summary>
internal sealed class ManagerQueueWorkload : ManagerPairsWorkload
{
    public override string Id => "M2";

    public override string Title => "Manager Queue put+get pairs/s";

    public override string? PythonWorkload => "manager_queue";

    protected override string PairCode => "q.Put(i); q.TryGet(TimeSpan.FromSeconds(5), out _)";

    protected override string PythonPairCode => "q.put(1); q.get()";

    protected override Action CreatePair(Managers.Manager manager)
    {
        var q = manager.Queue<int>();
        int i = 0;
        return () =>
        {
            q.Put(i);
            if (!q.TryGet(TimeSpan.FromSeconds(5), out int back) || back != i)
            {
                throw new InvalidOperationException($"The queue gave back {back} for {i}.");
            }

            i++;
        };
    }
}
