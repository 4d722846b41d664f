using Multiprocessing.Orleans.Grains;
using Multiprocessing.Workers;

namespace Multiprocessing.Orleans.Client;

/// <summary>The driver's view of one silo (guarded by the executor's lock, except the token source).</summary>
internal sealed class SiloState(string address, IChunkGrain grain)
{
    public string Address { get; } = address;

    public IChunkGrain Grain { get; } = grain;

    /// <summary>Its pool's size; 0 until the silo has answered the watcher once (no chunks before).</summary>
    public int Processes { get; set; }

    /// <summary>A call to it failed while it is still a member: no new chunks until it answers the watcher again.</summary>
    public bool Suspect { get; set; }

    public bool Lost { get; set; }

    /// <summary>Its chunks in flight, by attempt id.</summary>
    public Dictionary<long, InFlightChunk> InFlight { get; } = [];

    /// <summary>Cancels every call to the silo at once when it is lost (they would otherwise end only at the response timeout).</summary>
    public CancellationTokenSource Calls { get; } = new();

    public override string ToString() => $"silo {Address}";
}

/// <summary>One attempt of a chunk on a silo.</summary>
internal sealed record InFlightChunk(ProcessChunk Chunk, CancellationTokenSource Cancel, long SentAt)
{
    /// <summary>Since when (<see cref="Environment.TickCount64"/>) the silo has not reported holding it, once it should have arrived; 0 while it does.</summary>
    public long UnreportedSince { get; set; }
}
