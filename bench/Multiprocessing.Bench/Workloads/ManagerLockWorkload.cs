namespace Multiprocessing.Bench;

/// <summary>M1: acquire + release on a Manager Lock proxy.</summary>
internal sealed class ManagerLockWorkload : ManagerPairsWorkload
{
    public override string Id => "M1";

    public override string Title => "Manager Lock acquire+release pairs/s";

    public override string? PythonWorkload => "manager_lock";

    protected override string PairCode => "using (l.Acquire()) { }";

    protected override string PythonPairCode => "lock.acquire(); lock.release()";

    protected override Action CreatePair(Managers.Manager manager)
    {
        var l = manager.Lock();
        return () =>
        {
            using (l.Acquire())
            {
            }
        };
    }
}
