using System.Runtime.CompilerServices;
using MessagePack;
using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers;

/// <summary>
/// One value shared between processes: Python's <c>manager.Value(typecode, value)</c>. Each read and each
/// write is atomic on its own; a read-modify-write such as <c>Value += 1</c> is two, so guard it with a
/// shared <see cref="LockProxy"/>, as in Python. On Linux a type without references (numbers, enums, plain
/// structs) lives in shared memory and is read and written in place; other types take one round trip each.
/// </summary>
/// <typeparam name="T">The value type; the default serializer (MessagePack) must handle it.</typeparam>
public sealed class ValueProxy<T> : ManagerProxy
{
    private static readonly bool s_fits = SharedValue.Fits<T>();

    internal ValueProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    /// <summary>The current value: Python's <c>.value</c>. Reading and writing are each atomic (in shared memory, or one round trip).</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public T Value
    {
        get => Shared is { } fast ? fast.Read<T>(ProcessId) : Deserialize<T>(Call(ManagerOp.ValueGet).Payload);
        set
        {
            if (Shared is { } fast)
            {
                fast.Write(ProcessId, value);
            }
            else
            {
                Call(ManagerOp.ValueSet, data1: Serialize(value));
            }
        }
    }

    /// <summary>The shared-memory bytes, for a type without references that the manager put in a segment; null: every access is a round trip.</summary>
    [IgnoreMember]
    private SharedValue? Shared => s_fits && Fast(static segment => new SharedValue(segment)) is { } fast && fast.Size == Unsafe.SizeOf<T>() ? fast : null;
}
