using MessagePack;
using Multiprocessing.Functions;
using Multiprocessing.Protocol;

namespace Multiprocessing.Tests.Worker;

/// <summary>Types named by metadata (assembly, module version, token), which a worker resolves without the type-name parser.</summary>
public sealed class TypeReferenceTests
{
    public static TheoryData<Type> Representable =>
    [
        typeof(int),
        typeof(Func<int, int>),
        typeof(Dictionary<string, List<int[]>>),
        typeof(int[,]),
        typeof(string[][]),
        typeof(Nested.Inner<Guid>),
        typeof(TypeReferenceTests),
    ];

    [Theory]
    [MemberData(nameof(Representable))]
    public void RoundTrip_ResolvesToTheSameType(Type type)
    {
        var reference = TypeReference.Create(type);
        Assert.NotNull(reference);
        Assert.Equal(type, ReadBack(reference).TryResolve());
    }

    [Theory]
    [InlineData(typeof(int*))]
    [InlineData(typeof(List<>))]
    public void Create_ATypeWithoutADefinitionToken_HasNone(Type type) => Assert.Null(TypeReference.Create(type));

    [Fact]
    public void Create_AByRefType_HasNone() => Assert.Null(TypeReference.Create(typeof(int).MakeByRefType()));

    [Fact]
    public void TryResolve_AnotherBuildOfTheModule_IsNullSoTheNameIsUsed()
    {
        // Tokens are valid for one build only: a module whose version id differs must not be asked for them.
        var reference = Written(typeof(object).Assembly.FullName!, Guid.NewGuid(), typeof(string).MetadataToken);
        Assert.Null(reference.TryResolve());
    }

    [Fact]
    public void TryResolve_AnAssemblyThatCannotBeFound_IsNull()
        => Assert.Null(Written("No.Such.Assembly.Anywhere", Guid.NewGuid(), 0x02000002).TryResolve());

    [Fact]
    public void TryResolve_ATokenThatIsNoTypeOfTheModule_IsNull()
        => Assert.Null(Written(typeof(object).Assembly.FullName!, typeof(object).Module.ModuleVersionId, 0x02FFFFFF).TryResolve());

    [Fact]
    public void Read_AnUnknownKind_IsInvalidData()
    {
        byte[] bytes = Bytes((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(5);
            w.Write(7);
            w.Write("x");
            w.Write(new byte[16]);
            w.Write(0);
            w.WriteArrayHeader(0);
        });
        Assert.Throws<InvalidDataException>(() => Read(bytes));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(33)]
    public void Read_AnArrayOfARankNoRuntimeMakes_IsInvalidData(int rank)
    {
        byte[] element = Bytes((ref MessagePackWriter w) => TypeReference.Create(typeof(int))!.Write(ref w));
        byte[] bytes = Bytes((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(5);
            w.Write(1);
            w.Write(string.Empty);
            w.Write(new byte[16]);
            w.Write(rank);
            w.WriteArrayHeader(1);
            w.WriteRaw(element);
        });
        Assert.Throws<InvalidDataException>(() => Read(bytes));
    }

    [Fact]
    public void Read_NestingBeyondAnyRealType_IsInvalidData()
    {
        // A malformed message claiming arrays of arrays ... 100 deep: refused before it can exhaust the stack.
        byte[] bytes = Bytes((ref MessagePackWriter w) =>
        {
            for (int i = 0; i < 100; i++)
            {
                w.WriteArrayHeader(5);
                w.Write(1);
                w.Write(string.Empty);
                w.Write(new byte[16]);
                w.Write(0);
                w.WriteArrayHeader(1);
            }
        });
        Assert.Throws<InvalidDataException>(() => Read(bytes));
    }

    [Fact]
    public void Descriptor_CarriesBothReferences()
    {
        var descriptor = FunctionDescriptor.Create(new Func<int, int>(Nested.Twice), "f");
        Assert.Equal(typeof(Func<int, int>), ReadBack(descriptor.DelegateTypeReference!).TryResolve());
        Assert.Equal(typeof(Nested), ReadBack(descriptor.DeclaringTypeReference!).TryResolve());
    }

    [Fact]
    public void Descriptor_WhoseReferencesDoNotResolve_FallsBackToTheNames()
    {
        var stale = Written(typeof(Nested).Assembly.FullName!, Guid.NewGuid(), typeof(Nested).MetadataToken);
        var descriptor = FunctionDescriptor.Create(new Func<int, int>(Nested.Twice), "f") with
        {
            DelegateTypeReference = stale,
            DeclaringTypeReference = stale,
        };

        Assert.Equal(6, ((Func<int, int>)descriptor.Resolve())(3));
    }

    private static TypeReference ReadBack(TypeReference reference) => Read(Bytes((ref MessagePackWriter w) => reference.Write(ref w)));

    /// <summary>A definition reference as the wire carries it, with a chosen assembly, module version id and token.</summary>
    private static TypeReference Written(string assemblyFullName, Guid mvid, int token) => Read(Bytes((ref MessagePackWriter w) =>
    {
        w.WriteArrayHeader(5);
        w.Write(0);
        w.Write(AssemblyResolution.SimpleName(assemblyFullName));
        w.Write(mvid.ToByteArray());
        w.Write(token);
        w.WriteArrayHeader(0);
    }));

    private static TypeReference Read(byte[] bytes)
    {
        var reader = new MessagePackReader(bytes);
        return TypeReference.Read(ref reader);
    }

    private delegate void WriteBody(ref MessagePackWriter writer);

    private static byte[] Bytes(WriteBody write)
    {
        using var buffer = new PooledBufferWriter();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    internal static class Nested
    {
        public static int Twice(int x) => 2 * x;

        internal sealed class Inner<T>
        {
        }
    }
}
