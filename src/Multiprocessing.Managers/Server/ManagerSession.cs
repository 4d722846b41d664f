namespace Multiprocessing.Managers.Server;

/// <summary>
/// One client process (all its connections). When its last connection closes the process is gone (or has
/// let go of the manager), and whatever it still holds is released as abandoned.
/// </summary>
internal sealed class ManagerSession(Guid id, int processId)
{
    public Guid Id { get; } = id;

    public int ProcessId { get; } = processId;

    /// <summary>Live connections; guarded by the server's session table lock.</summary>
    public int Connections { get; set; }
}
