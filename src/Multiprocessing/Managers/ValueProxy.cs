using MessagePack;

namespace Multiprocessing.Managers;

/// <summary>
/// One value shared between processes: Python's <c>manager.Value(typecode, value)</c>. Each read and each
/// write is one round trip and atomic on its own; a read-modify-write such as <c>Value += 1</c> is two, so
/// guard it with a shared <see cref="LockProxy"/>, as in Python.
/// </summary>
/// <typeparam name="T">The value type; the default serializer (MessagePack) must handle it.</typeparam>
public sealed class ValueProxy<T> : ManagerProxy
{
    internal ValueProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    /// <summary>The current value: Python's <c>.value</c>. Reading and writing are each one round trip.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public T Value
    {
        get => Deserialize<T>(Call(ManagerOp.ValueGet).Payload);
        set => Call(ManagerOp.ValueSet, data1: Serialize(value));
    }
}
