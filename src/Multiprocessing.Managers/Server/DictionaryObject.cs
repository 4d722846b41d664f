using System.Buffers;
using MessagePack;

namespace Multiprocessing.Managers.Server;

/// <summary>Python's <c>dict</c> behind a <c>DictProxy</c>: serialized keys and values, in insertion order.</summary>
internal sealed class DictionaryObject : SharedObject
{
    private readonly OrderedDictionary<BytesKey, byte[]> _items = [];

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        var key = new BytesKey(request.Data1 ?? []);
        lock (Gate)
        {
            return new(request.Op switch
            {
                ManagerOp.ItemGet => _items.TryGetValue(key, out var value) ? ManagerReply.OfPayload(value) : ManagerReply.False,
                ManagerOp.ItemSet => Set(key, request.Data2),
                ManagerOp.ItemTryAdd => ManagerReply.Of(_items.TryAdd(key, request.Data2 ?? [])),
                ManagerOp.ItemRemove => ManagerReply.Of(_items.Remove(key)),
                ManagerOp.ItemRemoveIfValue => ManagerReply.Of(_items.TryGetValue(key, out var current) && current.AsSpan().SequenceEqual(request.Data2) && _items.Remove(key)),
                ManagerOp.ItemContains => ManagerReply.Of(_items.ContainsKey(key)),
                ManagerOp.Count => ManagerReply.OfValue(_items.Count),
                ManagerOp.Clear => Clear(),
                ManagerOp.Snapshot => ManagerReply.OfPayload(Snapshot()),
                _ => Unsupported(request),
            });
        }
    }

    private ManagerReply Set(BytesKey key, byte[]? value)
    {
        _items[key] = value ?? [];
        return ManagerReply.Ok;
    }

    private ManagerReply Clear()
    {
        _items.Clear();
        return ManagerReply.Ok;
    }

    /// <summary>The serialized keys and values are MessagePack already: a map header before them makes a whole dictionary.</summary>
    private byte[] Snapshot()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(_items.Count);
        foreach (var (key, value) in _items)
        {
            writer.WriteRaw(key.Bytes);
            writer.WriteRaw(value);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
