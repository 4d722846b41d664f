using Multiprocessing.Protocol;
using Multiprocessing.Serialization;

namespace Multiprocessing.Tests.Support;

/// <summary>A value serialized as a blocking call sends it: its large arrays collected out of band.</summary>
internal static class OutOfBand
{
    /// <summary>The serialized bytes and the section the collected arrays make, which a reader installs with <see cref="OutOfBandBlobs.Read"/>.</summary>
    public static (byte[] Bytes, byte[] Section, int Blobs) Serialize<T>(MessagePackPoolSerializer serializer, T value)
    {
        var blobs = new OutOfBandBlobs();
        using var buffer = new PooledBufferWriter();
        using (OutOfBandBlobs.Collect(blobs))
        {
            serializer.Serialize(buffer, value);
        }

        var section = new byte[blobs.Length];
        blobs.CopyTo(section);
        return (buffer.WrittenSpan.ToArray(), section, blobs.Count);
    }
}
