namespace Multiprocessing.Orleans.Client;

/// <summary>Why an attempt of a chunk on a silo ended without a result.</summary>
internal enum ChunkLoss
{
    /// <summary>The watcher found the silo dead: its membership says so.</summary>
    SiloLost,

    /// <summary>The call failed (a connection refused, a message rejected) while the silo is still a member.</summary>
    CallFailed,

    /// <summary>The silo refused the chunk: it is stopping.</summary>
    Refused,
}

/// <summary>What becomes of a chunk after a loss.</summary>
internal enum ChunkLossAction
{
    /// <summary>Back to the front of the queue, for another silo.</summary>
    Requeue,

    /// <summary>Its tasks fail with <see cref="SiloLostException"/>.</summary>
    Fail,
}

/// <summary>The retry rule, a pure function so that a test can call it without a cluster.</summary>
internal static class ChunkRetryPolicy
{
    /// <summary>Calls that fail while their silo lives (or silos that refuse) are retried this many times in all.</summary>
    public const int MaxCallFailures = 5;

    /// <summary>Counts the loss into <paramref name="silosLost"/> or <paramref name="callFailures"/> and decides.</summary>
    public static ChunkLossAction Decide(ChunkLoss loss, ref int silosLost, ref int callFailures, int maxSiloRetries)
    {
        if (loss == ChunkLoss.SiloLost)
        {
            return ++silosLost > maxSiloRetries ? ChunkLossAction.Fail : ChunkLossAction.Requeue;
        }

        return ++callFailures > MaxCallFailures ? ChunkLossAction.Fail : ChunkLossAction.Requeue;
    }
}
