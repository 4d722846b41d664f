namespace Multiprocessing.Managers.FastPath;

/// <summary>A client's spill for a queue's ring: the items that do not fit go to the manager, one round trip each.</summary>
internal sealed class ManagerSpill(ManagerProxy proxy) : IRingSpill
{
    public void Put(byte[] item) => proxy.Call(ManagerOp.QueueSpillPut, data1: item);

    public byte[] Take() => proxy.Call(ManagerOp.QueueSpillGet).Payload ?? throw new InvalidOperationException("The manager sent no spilled item.");
}
