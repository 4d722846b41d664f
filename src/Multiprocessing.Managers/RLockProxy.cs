using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers;

/// <summary>
/// A reentrant lock shared between processes: Python's <c>manager.RLock()</c>. Owned by the thread that
/// acquired it (which may acquire it again, and must release it as many times); only that thread may
/// release it. No async variants: an owned lock cannot follow an <c>await</c> to another thread.
/// </summary>
public sealed class RLockProxy : AcquirableProxy
{
    internal RLockProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    private protected override int Thread => Environment.CurrentManagedThreadId;

    [MessagePack.IgnoreMember]
    private protected override IFastAcquirable? FastLock => Fast(static segment => new SharedRLock(segment));
}
