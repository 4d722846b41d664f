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
/// 25–40 ms in a fresh worker, most of its start-up, for a first task that sends only <c>int</c>s. The
/// answer for every type is the one the full chain gives, because the cheap resolvers are tried in the
/// chain's own order (a test pins that order against the MessagePack version in use).
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

    /// <summary>The formatter inside any wrappers this resolver adds (for the test that pins the chain).</summary>
    internal static object? Unwrap(object? formatter)
    {
        while (formatter is IWrappingFormatter wrapper)
        {
            formatter = wrapper.Inner;
        }

        return formatter;
    }

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = Find();

        private static IMessagePackFormatter<T>? Find()
        {
            // Strings keep their exact code units (Utf16String); string[] too, whose built-in formatter writes its items itself.
            if (typeof(T) == typeof(string))
            {
                return (IMessagePackFormatter<T>)(object)StringFormatter.Instance;
            }

            if (typeof(T) == typeof(string[]))
            {
                return (IMessagePackFormatter<T>)(object)StringArrayFormatter.Instance;
            }

            var formatter = Primitive() ?? ArrayOfArrays() ?? FindInChain();
            if (typeof(T) == typeof(object) && formatter is IMessagePackFormatter<object?> typeless)
            {
                formatter = (IMessagePackFormatter<T>)(object)new ObjectFormatter(typeless);
            }

            // A graph nests only through references: value types (ints, tuples, structs) skip the depth count.
            return formatter is null || typeof(T).IsValueType || formatter is IOptionlessFormatter<T> ? formatter : new DepthGuardFormatter<T>(formatter);
        }

        /// <summary>
        /// The chain's answer for the commonest primitives, without initializing its resolvers (BuiltinResolver
        /// alone builds a table of some 150 formatters: 14 ms of a fresh process's first call with ints). The
        /// integers are ForceSizePrimitiveObjectResolver's, the rest BuiltinResolver's; a test pins both.
        /// </summary>
        private static IMessagePackFormatter<T>? Primitive()
        {
            object? formatter = Type.GetTypeCode(typeof(T)) switch
            {
                _ when typeof(T).IsEnum => null, // an enum's type code is its underlying type's
                TypeCode.Int32 => ForceInt32BlockFormatter.Instance,
                TypeCode.Int64 => ForceInt64BlockFormatter.Instance,
                TypeCode.Int16 => ForceInt16BlockFormatter.Instance,
                TypeCode.Byte => ForceByteBlockFormatter.Instance,
                TypeCode.SByte => ForceSByteBlockFormatter.Instance,
                TypeCode.UInt16 => ForceUInt16BlockFormatter.Instance,
                TypeCode.UInt32 => ForceUInt32BlockFormatter.Instance,
                TypeCode.UInt64 => ForceUInt64BlockFormatter.Instance,
                TypeCode.Double => DoubleFormatter.Instance,
                TypeCode.Single => SingleFormatter.Instance,
                TypeCode.Boolean => BooleanFormatter.Instance,
                TypeCode.Char => CharFormatter.Instance,
                _ => null,
            };
            return formatter as IMessagePackFormatter<T>;
        }

        /// <summary>An array of blittable arrays or of string arrays: <see cref="ArrayOfArraysFormatter{TItem}"/>.</summary>
        private static IMessagePackFormatter<T>? ArrayOfArrays()
        {
            if (!typeof(T).IsSZArray || typeof(T).GetElementType() is not { IsSZArray: true } item)
            {
                return null;
            }

            object? itemFormatter = item == typeof(string[])
                ? StringArrayFormatter.Instance
                : typeof(BlittableArrayResolver).GetMethod(nameof(BlittableArrayResolver.GetFormatter))!.MakeGenericMethod(item).Invoke(BlittableArrayResolver.Instance, null);
            return itemFormatter is null ? null : (IMessagePackFormatter<T>)Activator.CreateInstance(typeof(ArrayOfArraysFormatter<>).MakeGenericType(item), itemFormatter)!;
        }

        private static IMessagePackFormatter<T>? FindInChain()
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
