using System.Buffers;

namespace Multiprocessing;

/// <summary>
/// Turns task arguments and results into bytes and back. The parent and every worker use one instance
/// each, so an implementation must have a public parameterless constructor and be stateless.
/// </summary>
public interface IPoolSerializer
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="writer"/>.</summary>
    /// <typeparam name="T">The declared type; the worker reads with the same type.</typeparam>
    /// <param name="writer">Where the bytes go.</param>
    /// <param name="value">The value.</param>
    void Serialize<T>(IBufferWriter<byte> writer, T value);

    /// <summary>Reads a value written by <see cref="Serialize{T}"/> with the same type.</summary>
    /// <typeparam name="T">The declared type.</typeparam>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The value.</returns>
    T Deserialize<T>(ReadOnlyMemory<byte> bytes);

    /// <summary>Throws a clear exception if values of <paramref name="type"/> cannot be serialized at all.</summary>
    /// <param name="type">The declared type of an argument or result.</param>
    /// <exception cref="NotSupportedException">The type cannot be serialized.</exception>
    void EnsureSupported(Type type);
}
