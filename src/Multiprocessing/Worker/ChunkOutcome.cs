using Multiprocessing.Serialization;

namespace Multiprocessing.Worker;

/// <summary>
/// What running one chunk produced beside the frame it appended (a <c>Result</c>, or a <c>ChunkFailed</c> when
/// <see cref="Error"/> is set): the result's out-of-band arrays, which must go out with that frame, and how many
/// bytes of large arrays the chunk received, which <see cref="LargeGarbage"/> counts; and how long its items ran
/// (<see cref="TimeSpan"/> ticks, the figure its Result header carries).
/// </summary>
internal readonly record struct ChunkOutcome(RemoteError? Error, OutOfBandBlobs? ResultBlobs, long ReceivedBlobBytes, long RanTicks = 0)
{
    /// <summary>The large arrays the chunk received and sent, in bytes.</summary>
    public long LargeBytes => ReceivedBlobBytes + (ResultBlobs?.Length ?? 0);

    public static ChunkOutcome Failed(RemoteError error) => new(error, null, 0);
}
