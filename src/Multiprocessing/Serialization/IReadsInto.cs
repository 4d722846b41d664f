namespace Multiprocessing.Serialization;

/// <summary>A formatter that can read an array's elements straight into memory the caller owns.</summary>
internal interface IReadsInto<T>
{
    /// <summary>
    /// Reads an array of exactly <paramref name="destination"/>'s length into it; false, having written nothing that
    /// counts, when the value is not such an array (null, another length, a block not within its frame): the caller
    /// then reads it the usual way from the start, which reports what is wrong with it.
    /// </summary>
    bool TryReadInto(ref MessagePack.MessagePackReader reader, Span<T> destination);
}
