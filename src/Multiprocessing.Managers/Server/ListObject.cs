using System.Buffers;
using MessagePack;

namespace Multiprocessing.Managers.Server;

/// <summary>Python's <c>list</c> behind a <c>ListProxy</c>: serialized items.</summary>
internal sealed class ListObject : SharedObject
{
    private readonly List<byte[]> _items = [];

    public override ValueTask<ManagerReply> HandleAsync(ManagerRequest request, ManagerSession session, CancellationToken cancellationToken, CancellationToken disconnected)
    {
        lock (Gate)
        {
            int index = (int)request.Argument;
            bool inRange = request.Argument >= 0 && request.Argument < _items.Count;
            return new(request.Op switch
            {
                ManagerOp.ItemGet when inRange => ManagerReply.OfPayload(_items[index]),
                ManagerOp.ItemSet when inRange => Do(() => _items[index] = request.Data1 ?? []),
                ManagerOp.ItemRemove when inRange => Do(() => _items.RemoveAt(index)),
                ManagerOp.ListInsert when request.Argument >= 0 && request.Argument <= _items.Count => Do(() => _items.Insert(index, request.Data1 ?? [])),
                ManagerOp.ItemGet or ManagerOp.ItemSet or ManagerOp.ItemRemove or ManagerOp.ListInsert =>
                    ManagerReply.Error(ReplyError.ArgumentOutOfRange, $"Index {request.Argument} is out of range for a list of {_items.Count} items."),
                ManagerOp.ListAdd => Do(() => _items.Add(request.Data1 ?? [])),
                ManagerOp.ListIndexOf => ManagerReply.OfValue(IndexOf(request.Data1)),
                ManagerOp.ListRemoveValue => RemoveValue(request.Data1),
                ManagerOp.Count => ManagerReply.OfValue(_items.Count),
                ManagerOp.Clear => Do(_items.Clear),
                ManagerOp.Snapshot => ManagerReply.OfPayload(Snapshot()),
                _ => Unsupported(request),
            });
        }
    }

    // Items are compared in their serialized form: equal values serialize alike (MessagePack is deterministic).
    private int IndexOf(byte[]? item) => _items.FindIndex(x => x.AsSpan().SequenceEqual(item));

    private ManagerReply RemoveValue(byte[]? item)
    {
        int index = IndexOf(item);
        if (index >= 0)
        {
            _items.RemoveAt(index);
        }

        return ManagerReply.Of(index >= 0);
    }

    private static ManagerReply Do(Action action)
    {
        action();
        return ManagerReply.Ok;
    }

    /// <summary>The serialized items are MessagePack already: an array header before them makes a whole list.</summary>
    private byte[] Snapshot()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(_items.Count);
        foreach (var item in _items)
        {
            writer.WriteRaw(item);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
