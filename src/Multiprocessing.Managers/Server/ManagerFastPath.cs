namespace Multiprocessing.Managers.Server;

/// <summary>Whether a manager's objects use shared memory (see <see cref="FastPath.Segment"/>).</summary>
internal enum ManagerFastPath
{
    /// <summary>Segments where the platform allows, offered to every client (the default).</summary>
    On,

    /// <summary>No segments: every operation is a socket round trip (as on platforms without futexes).</summary>
    Off,

    /// <summary>Segments, but clients are not told (tests of the socket path working on shared state).</summary>
    ServerOnly,
}
