using Microsoft.Extensions.Logging;
using Multiprocessing.Serialization;

namespace Multiprocessing.Orleans;

/// <summary>How a <see cref="ClusterPool"/> spreads chunks over the silos; validated once, when the pool is created.</summary>
public sealed record ClusterPoolOptions
{
    /// <summary>The most chunks a silo holds at once (running and waiting in its pool); null: twice its worker count.</summary>
    public int? MaxChunksInFlightPerSilo { get; init; }

    /// <summary>How many times a chunk is run again after its silo was lost; one lost more often fails with <see cref="SiloLostException"/>.</summary>
    public int MaxSiloRetries { get; init; } = ClusterPoolDefaults.MaxSiloRetries;

    /// <summary>What an automatic chunk aims to cost on a silo once the function's cost is measured (a grain call's
    /// overhead stays small beside it).</summary>
    public TimeSpan TargetChunkDuration { get; init; } = ClusterPoolDefaults.TargetChunkDuration;

    /// <summary>The largest serialized chunk; a bigger one fails at the call with <see cref="ArgumentException"/>.
    /// Keep it under the cluster's <c>MaxMessageBodySize</c> (100 MB by default).</summary>
    public int MaxChunkBytes { get; init; } = ClusterPoolDefaults.MaxChunkBytes;

    /// <summary>How often the watcher asks each silo for its view of the membership.</summary>
    public TimeSpan MembershipPollInterval { get; init; } = ClusterPoolDefaults.MembershipPollInterval;

    /// <summary>How long one silo's answer to the watcher may take.</summary>
    public TimeSpan MembershipPollTimeout { get; init; } = ClusterPoolDefaults.MembershipPollTimeout;

    /// <summary>How long the constructor waits for the first silo that runs <c>AddMultiprocessingWorkers</c>; and, once
    /// no silo at all answers (the only one, or every one, is gone), how long chunks wait for one before they fail with
    /// <see cref="SiloLostException"/>.</summary>
    public TimeSpan StartTimeout { get; init; } = ClusterPoolDefaults.StartTimeout;

    /// <summary>Serializes arguments and results; the silos' pools must use the same type. Null: MessagePack.</summary>
    public IPoolSerializer? Serializer { get; init; }

    /// <summary>Where the pool logs (silos lost, chunks retried); null: nowhere.</summary>
    public ILogger? Logger { get; init; }

    internal void Validate()
    {
        var problems = new List<string>();
        if (MaxChunksInFlightPerSilo is { } credit && credit < 1)
        {
            problems.Add($"MaxChunksInFlightPerSilo must be at least 1 or null (was {credit}).");
        }

        if (MaxSiloRetries < 0)
        {
            problems.Add($"MaxSiloRetries must be 0 or more (was {MaxSiloRetries}).");
        }

        if (TargetChunkDuration <= TimeSpan.Zero)
        {
            problems.Add($"TargetChunkDuration must be positive (was {TargetChunkDuration}).");
        }

        if (MaxChunkBytes < 1024)
        {
            problems.Add($"MaxChunkBytes must be at least 1024 (was {MaxChunkBytes}).");
        }

        if (MembershipPollInterval <= TimeSpan.Zero)
        {
            problems.Add($"MembershipPollInterval must be positive (was {MembershipPollInterval}).");
        }

        if (MembershipPollTimeout <= TimeSpan.Zero)
        {
            problems.Add($"MembershipPollTimeout must be positive (was {MembershipPollTimeout}).");
        }

        if (StartTimeout <= TimeSpan.Zero)
        {
            problems.Add($"StartTimeout must be positive (was {StartTimeout}).");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid cluster pool options:" + Environment.NewLine + "- " + string.Join(Environment.NewLine + "- ", problems), "options");
        }
    }
}
