using System.Collections.Concurrent;

namespace Multiprocessing.Managers.FastPath;

/// <summary>
/// This process's mapped segments, one per shared object, found by asking the manager once
/// (<see cref="ManagerOp.Segment"/>, one round trip) and kept for the life of the process: the mapping is
/// small, and unmapping it under a thread that is using it would crash. A manager that offers none (the fast
/// path is off, or the platform lacks it), or a segment that cannot be mapped, is remembered as null and the
/// proxy uses the socket.
/// </summary>
internal static class SegmentCache
{
    private static readonly ConcurrentDictionary<(string Endpoint, int ObjectId), Segment?> s_segments = new();

    public static Segment? Get(ManagerProxy proxy)
    {
        if (!Futex.IsSupported)
        {
            return null;
        }

        var key = (proxy.Endpoint, proxy.ObjectId);
        if (s_segments.TryGetValue(key, out var known))
        {
            return known;
        }

        var reply = proxy.Call(ManagerOp.Segment);
        var segment = reply.Status == ReplyStatus.Ok && reply.Message is { } path
            ? Segment.TryOpen(path, reply.Value, proxy.Endpoint)
            : null;
        if (!s_segments.TryAdd(key, segment))
        {
            segment?.Dispose(); // another thread mapped it first
            return s_segments[key];
        }

        return segment;
    }
}
