using System.Reflection;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Multiprocessing.Serialization;

/// <summary>
/// The default serializer's resolver: the worker's <see cref="CancellationToken"/>, blittable arrays, then
/// MessagePack's <see cref="TypelessContractlessStandardResolver"/> — but that one is touched only for a
/// type its first, cheap resolvers do not handle. Its static constructor initializes the resolvers that
/// generate code (dynamic enum, generic, union and object resolvers, each with a Reflection.Emit assembly):
/// measured at 25–40 ms in a fresh worker, most of a pool's start-up, for a first task that sends only
/// <c>int</c>s. The answer for every type is the one the full chain gives, because the cheap resolvers are
/// tried in the chain's own order (a test pins that order against the MessagePack version in use).
/// </summary>
internal sealed class PoolResolver : IFormatterResolver
{
    public static readonly PoolResolver Instance = new();

    private PoolResolver()
    {
    }

    /// <summary>
    /// The first resolvers of <see cref="TypelessContractlessStandardResolver"/>'s chain, none of which emits
    /// code; empty (every type goes to the full chain: slower to start, same formats) if MessagePack no
    /// longer has the internal one this names.
    /// </summary>
    internal static IFormatterResolver[] CheapPrefix => Prefix.Resolvers;

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    /// <summary>Its own class so that a worker whose types are all blittable arrays never initializes these.</summary>
    private static class Prefix
    {
        public static readonly IFormatterResolver[] Resolvers = Create();

        private static IFormatterResolver[] Create()
        {
            // Internal in MessagePack 2.5, hence by name. It keeps integers at their declared size.
            var forceSize = typeof(BuiltinResolver).Assembly.GetType("MessagePack.Resolvers.ForceSizePrimitiveObjectResolver")
                ?.GetField("Instance", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as IFormatterResolver;
            return forceSize is null ? [] : [NativeDateTimeResolver.Instance, forceSize, BuiltinResolver.Instance, AttributeFormatterResolver.Instance];
        }
    }

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = Find();

        private static IMessagePackFormatter<T>? Find()
        {
            if (CancellationTokenFormatter.Instance is IMessagePackFormatter<T> token)
            {
                return token;
            }

            if (BlittableArrayResolver.Instance.GetFormatter<T>() is { } blittable)
            {
                return blittable;
            }

            foreach (var resolver in Prefix.Resolvers)
            {
                if (resolver.GetFormatter<T>() is { } formatter)
                {
                    return formatter;
                }
            }

            return TypelessContractlessStandardResolver.Instance.GetFormatter<T>();
        }
    }
}
