namespace Multiprocessing.Managers.Server;

/// <summary>A serialized dictionary key, compared by content: equal keys of one type serialize to equal bytes.</summary>
internal readonly struct BytesKey(byte[] bytes) : IEquatable<BytesKey>
{
    public byte[] Bytes { get; } = bytes;

    public bool Equals(BytesKey other) => Bytes.AsSpan().SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is BytesKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }
}
