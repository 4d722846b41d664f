namespace Multiprocessing.Managers.Server;

/// <summary>Who holds an owned lock (RLock, Condition): a thread of a client process.</summary>
internal readonly record struct Owner(ManagerSession Session, int Thread);
