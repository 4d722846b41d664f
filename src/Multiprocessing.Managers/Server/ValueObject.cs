namespace Multiprocessing.Managers.Server;

/// <summary>Python's <c>Value</c> (a manager's <c>ValueProxy</c>): one serialized value.</summary>
internal sealed class ValueObject(byte[] initial) : SharedObject
{
    private byte[] _value = initial;

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        lock (Gate)
        {
            switch (request.Op)
            {
                case ManagerOp.ValueGet:
                    return new(ManagerReply.OfPayload(_value));
                case ManagerOp.ValueSet:
                    _value = request.Data1 ?? [];
                    return new(ManagerReply.Ok);
                default:
                    return new(Unsupported(request));
            }
        }
    }
}
