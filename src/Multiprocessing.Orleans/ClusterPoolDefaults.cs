namespace Multiprocessing.Orleans;

/// <summary>The defaults of <see cref="ClusterPoolOptions"/>, named in one place.</summary>
public static class ClusterPoolDefaults
{
    /// <summary>A chunk is run again once after its silo is lost.</summary>
    public const int MaxSiloRetries = 1;

    /// <summary>64 MB: well under Orleans' default MaxMessageBodySize of 100 MB.</summary>
    public const int MaxChunkBytes = 64 * 1024 * 1024;

    /// <summary>About 100 ms of work per automatic chunk, so that a grain call's round trip stays under 1% of it.</summary>
    public static TimeSpan TargetChunkDuration { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Each silo is asked for its membership view every 50 ms.</summary>
    public static TimeSpan MembershipPollInterval { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A silo's answer to the watcher may take 1 s.</summary>
    public static TimeSpan MembershipPollTimeout { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The constructor waits up to 30 s for a silo with workers, and chunks as long when no silo answers.</summary>
    public static TimeSpan StartTimeout { get; } = TimeSpan.FromSeconds(30);
}
