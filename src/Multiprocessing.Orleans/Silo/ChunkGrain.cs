using Microsoft.Extensions.Options;
using Multiprocessing.Orleans.Grains;
using Multiprocessing.Serialization;
using Multiprocessing.Workers;
using Orleans;
using Orleans.Concurrency;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Multiprocessing.Orleans.Silo;

/// <summary>
/// Takes chunks for this silo's local pool. It reads only the function's name; the arguments and the results pass
/// through as bytes, so a silo never deserializes user types (its worker processes do, as a local pool's do).
/// </summary>
[SiloPlacement]
[Reentrant]
internal sealed class ChunkGrain(SiloWorkers workers, SiloFunctions functions, IClusterMembershipService membership, IOptions<SiloMessagingOptions> messaging) : Grain, IChunkGrain
{
    public async Task<ChunkReply> Run(ChunkRequest request, CancellationToken cancellationToken)
    {
        var key = (request.Driver, request.Attempt);
        workers.Attempts.TryAdd(key, 0);
        try
        {
            return await RunCore(request, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
        finally
        {
            workers.Attempts.TryRemove(key, out _);
        }
    }

    private async Task<ChunkReply> RunCore(ChunkRequest request, CancellationToken cancellationToken)
    {
        var (local, problem) = functions.Resolve(request.Function);
        if (local is null)
        {
            return Error(ChunkOutcome.Unrunnable, new InvalidOperationException(problem));
        }

        SerializedResult result;
        try
        {
            // Grain code resumes on the grain's scheduler (Orleans requires it: ORLEANS0014).
            result = await workers.Pool.RunSerializedAsync(local, request.Payload, request.Count, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
        catch (InvalidOperationException ex)
        {
            // The silo's pool is closed or disposed: it is stopping.
            return Error(ChunkOutcome.Refused, ex);
        }

        if (result.Error is PoolTerminatedException terminated)
        {
            return Error(ChunkOutcome.Refused, terminated);
        }

        if (result.Error is { } error)
        {
            return Error(ChunkOutcome.Failed, error);
        }

        byte[] body = result.ResultBody!;
        int limit = messaging.Value.MaxMessageBodySize;
        if (body.Length > limit - 4096)
        {
            // Sending it would only be refused and resent: fail the chunk instead, with what to do.
            return Error(ChunkOutcome.Failed, new InvalidOperationException(
                $"The results of a chunk of {request.Count} tasks are {body.Length:N0} bytes, over the cluster's message limit of {limit:N0} bytes (MaxMessageBodySize); use a smaller chunksize."));
        }

        return new ChunkReply(ChunkOutcome.Result, body, result.RanCold);
    }

    public Task<SiloView> View(Guid driver)
    {
        var members = membership.CurrentSnapshot.Members.Values;
        return Task.FromResult(new SiloView(
            workers.Pool.Processes,
            [.. members.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress.ToParsableString())],
            [.. members.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress.ToParsableString())],
            [.. workers.Attempts.Keys.Where(k => k.Driver == driver).Select(k => k.Attempt)]));
    }

    private static ChunkReply Error(ChunkOutcome outcome, Exception error)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePack.MessagePackWriter(buffer);
        RemoteError.From(error).Write(ref writer);
        writer.Flush();
        return new ChunkReply(outcome, buffer.WrittenSpan.ToArray(), false);
    }
}
