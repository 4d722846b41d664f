using System.Reflection;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using Multiprocessing.Serialization;

namespace Multiprocessing.Tests.Serialization;

/// <summary>
/// The default serializer's resolver skips MessagePack's code-generating resolvers for types the cheap ones
/// handle; these tests pin that it still picks, for every type, the formatter the full chain would.
/// </summary>
public sealed class PoolResolverTests
{
    // Strings and string[] are ours on purpose (exact UTF-16); every other type gets the chain's formatter,
    // inside the depth guard for reference types and, for object, inside the string-aware ObjectFormatter.
    private static readonly IFormatterResolver FullChain = CompositeResolver.Create(
        [CancellationTokenFormatter.Instance, StringFormatter.Instance, StringArrayFormatter.Instance],
        [BlittableArrayResolver.Instance, TypelessContractlessStandardResolver.Instance]);

    [Fact]
    public void CheapPrefix_IsTheStartOfTypelessContractlessStandardResolversChain()
    {
        // A MessagePack upgrade that reorders the chain must fail here, not change formats silently.
        var field = typeof(TypelessContractlessStandardResolver).GetField("Resolvers", BindingFlags.Static | BindingFlags.NonPublic);
        Assert.NotNull(field);
        var chain = ((IEnumerable<IFormatterResolver>)field.GetValue(null)!).ToList();
        Assert.Equal(4, PoolResolver.CheapPrefix.Length);
        Assert.True(chain.Count > PoolResolver.CheapPrefix.Length);
        for (int i = 0; i < PoolResolver.CheapPrefix.Length; i++)
        {
            Assert.Same(chain[i], PoolResolver.CheapPrefix[i]);
        }
    }

    public static TheoryData<Type> Types() =>
    [
        typeof(int), typeof(int[]), typeof(long), typeof(double[]), typeof(bool), typeof(string), typeof(string[]),
        typeof(byte[]), typeof(DateTime), typeof(DateTime[]), typeof(decimal), typeof(Guid), typeof(object), typeof(object[]),
        typeof(int?), typeof(CancellationToken), typeof(List<int>), typeof(Dictionary<string, int>), typeof((int, string)),
        typeof(ValueTuple<int, int>[]), typeof(Point), typeof(Point[]), typeof(DayOfWeek), typeof(TimeSpan), typeof(char[]),
        typeof(short), typeof(byte), typeof(sbyte), typeof(ushort), typeof(uint), typeof(ulong), typeof(float), typeof(char),
        typeof(long?), typeof(double?), typeof(bool?), typeof(double), typeof(ConsoleColor),
    ];

    [Theory]
    [MemberData(nameof(Types))]
    public void GetFormatter_AnyType_SameFormatterAsTheFullChain(Type type)
    {
        var expected = FullChain.GetFormatterDynamic(type);
        var actual = PoolResolver.Instance.GetFormatterDynamic(type);
        Assert.NotNull(actual);
        Assert.Same(expected, PoolResolver.Unwrap(actual));
    }

    public static TheoryData<object> ArraysOfArrays() =>
    [
        new byte[][] { [1, 2, 3], [], null!, new byte[100_000] },
        new int[][] { [1, -2], null!, [int.MaxValue] },
        new double[][] { [0.5], [] },
        new string[][] { ["a", null!, "ab\uD800"], null!, [] },
        Array.Empty<byte[]>(),
    ];

    [Theory]
    [MemberData(nameof(ArraysOfArrays))]
    public void ArrayOfArrays_SameBytesAsTheFullChain_AndRoundTrips(object value)
    {
        // Ours on purpose (the chain's array formatter lives in its code-generating resolvers); the bytes must not differ.
        var type = value.GetType();
        byte[] expected = MessagePackSerializer.Serialize(type, value, MessagePackSerializerOptions.Standard.WithResolver(FullChain));
        var serializer = new MessagePackPoolSerializer();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        typeof(MessagePackPoolSerializer).GetMethod(nameof(MessagePackPoolSerializer.Serialize))!.MakeGenericMethod(type).Invoke(serializer, [buffer, value]);
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
        object? back = typeof(MessagePackPoolSerializer).GetMethod(nameof(MessagePackPoolSerializer.Deserialize))!.MakeGenericMethod(type).Invoke(serializer, [buffer.WrittenMemory]);
        Assert.Equal(value, back);
        Assert.IsType(typeof(ArrayOfArraysFormatter<>).MakeGenericType(type.GetElementType()!), PoolResolver.Instance.GetFormatterDynamic(type));
    }

    [Fact]
    public void Serializer_RoundTripsMixedValues()
    {
        var serializer = new MessagePackPoolSerializer();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        object?[] values = [1, "two", 3.0, new Point(4, 5), new[] { 6, 7 }, DateTime.UnixEpoch, null];
        serializer.Serialize(buffer, values);
        Assert.Equal(values, serializer.Deserialize<object?[]>(buffer.WrittenMemory));
    }

    public sealed record Point(int X, int Y);
}
