using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// A Value of an unmanaged type kept as raw bytes in shared memory (<see cref="SharedValue"/>). The manager
/// never loads user types, so socket clients' requests are converted between the wire's serialized form
/// and the raw bytes by two functions made where the type is known (<see cref="Manager.Value{T}"/>).
/// </summary>
internal sealed class FastValueObject(Segment segment, Func<byte[], byte[]> toRaw, Func<byte[], byte[]> toSerialized) : SegmentObject(segment)
{
    private readonly SharedValue _value = new(segment);

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        switch (request.Op)
        {
            case ManagerOp.ValueGet:
                return new(ManagerReply.OfPayload(toSerialized(_value.ReadBytes(session.ProcessId))));
            case ManagerOp.ValueSet:
                _value.WriteBytes(session.ProcessId, toRaw(request.Data1 ?? []));
                return new(ManagerReply.Ok);
            default:
                return new(Unsupported(request));
        }
    }

    public override void OnSessionEnded(ManagerSession session) => _value.ReleaseIfHeldBy(session.ProcessId);

    protected override void WakeAll() => _value.WakeAll();
}
