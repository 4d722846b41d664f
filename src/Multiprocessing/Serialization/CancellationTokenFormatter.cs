using MessagePack;
using MessagePack.Formatters;

namespace Multiprocessing.Serialization;

/// <summary>
/// A <see cref="CancellationToken"/> argument cannot travel, so it is sent as nil and read back as the
/// worker's own token for the chunk being read (<see cref="Current"/>): a task whose method takes a token
/// as its last parameter gets one that the worker trips when the call is cancelled.
/// </summary>
internal sealed class CancellationTokenFormatter : IMessagePackFormatter<CancellationToken>
{
    public static readonly CancellationTokenFormatter Instance = new();

    [ThreadStatic]
    private static CancellationToken t_current;

    /// <summary>The token handed to tasks deserialized on this thread (set by the worker per chunk).</summary>
    public static CancellationToken Current
    {
        get => t_current;
        set => t_current = value;
    }

    public void Serialize(ref MessagePackWriter writer, CancellationToken value, MessagePackSerializerOptions options) => writer.WriteNil();

    public CancellationToken Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        reader.Skip();
        return t_current;
    }
}
