namespace Multiprocessing.Managers.Server;

/// <summary>A manager-side plain Lock (shared-memory or not), which a <see cref="LockConditionObject"/> can wait over.</summary>
internal interface IPlainLock
{
    /// <summary>Whether someone holds it now (a plain Lock has no owner, so this is all a condition can check).</summary>
    bool IsHeld { get; }
}
