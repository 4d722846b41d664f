using System.Reflection;
using MessagePack;

namespace Multiprocessing.Functions;

/// <summary>
/// A closed type named by metadata instead of by its assembly-qualified name: the defining assembly's simple name
/// and module version id, the type definition's token, and its generic arguments (or, for an array, its element
/// type and rank). A cold worker resolves it in about a millisecond; <c>Type.GetType</c> on the assembly-qualified
/// name of <c>Func&lt;int, int&gt;</c> took 5-7 ms there, and 14-21 ms in a fresh process (its name parser is
/// compiled on first use). The name stays in the descriptor: it is used whenever this cannot be made or does not
/// resolve to the same build.
/// </summary>
internal sealed record TypeReference
{
    private const int DefinitionKind = 0;
    private const int ArrayKind = 1;

    private static readonly string s_coreLibrary = AssemblyResolution.SimpleName(typeof(object).Assembly.FullName!);

    /// <summary>A type definition (<see cref="DefinitionKind"/>) or an array of <see cref="Arguments"/>[0] (<see cref="ArrayKind"/>).</summary>
    private int Kind { get; init; }

    /// <summary>The defining assembly's simple name (definitions).</summary>
    private string Assembly { get; init; } = string.Empty;

    /// <summary>The defining module's version id: its tokens are valid for that build only (definitions).</summary>
    private Guid ModuleVersionId { get; init; }

    /// <summary>The type definition's metadata token, or an array's rank (0 for a vector, <c>T[]</c>).</summary>
    private int Token { get; init; }

    /// <summary>A definition's generic arguments, or an array's element type alone.</summary>
    private TypeReference[] Arguments { get; init; } = [];

    /// <summary>The reference for <paramref name="type"/>, or null when it has none (a pointer, a by-ref, a generic
    /// parameter, a type of a dynamic assembly or of a module other than its assembly's first).</summary>
    public static TypeReference? Create(Type type)
    {
        if (type.IsArray)
        {
            return Create(type.GetElementType()!) is { } element
                ? new TypeReference { Kind = ArrayKind, Token = type.IsSZArray ? 0 : type.GetArrayRank(), Arguments = [element] }
                : null;
        }

        if (type.IsPointer || type.IsByRef || type.IsGenericParameter || type.IsFunctionPointer || type.ContainsGenericParameters
            || type.Assembly.IsDynamic || type.Module != type.Assembly.ManifestModule)
        {
            return null;
        }

        var arguments = new List<TypeReference>();
        if (type.IsConstructedGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                if (Create(argument) is not { } reference)
                {
                    return null;
                }

                arguments.Add(reference);
            }
        }

        Type definition = type.IsConstructedGenericType ? type.GetGenericTypeDefinition() : type;
        return type.Assembly.FullName is { } fullName
            ? new TypeReference { Kind = DefinitionKind, Assembly = AssemblyResolution.SimpleName(fullName), ModuleVersionId = type.Module.ModuleVersionId, Token = definition.MetadataToken, Arguments = [.. arguments] }
            : null;
    }

    /// <summary>The type in this process, or null when its assembly cannot be loaded or is another build.</summary>
    public Type? TryResolve()
    {
        try
        {
            return Resolve();
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or ArgumentException or TypeLoadException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    private Type? Resolve()
    {
        if (Kind == ArrayKind)
        {
            return Arguments is [var element] && element.Resolve() is { } e ? (Token == 0 ? e.MakeArrayType() : e.MakeArrayType(Token)) : null;
        }

        // Found by simple name as the runtime binds any reference (the application's dependencies, then the
        // Resolving event, where AssemblyResolution knows the parent's paths), without parsing a full name.
        Module module = (Assembly == s_coreLibrary ? typeof(object).Assembly : System.Reflection.Assembly.Load(new AssemblyName { Name = Assembly })).ManifestModule;
        if (module.ModuleVersionId != ModuleVersionId)
        {
            return null;
        }

        Type definition = module.ResolveType(Token);
        if (Arguments.Length == 0)
        {
            return definition;
        }

        var arguments = new Type[Arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            if (Arguments[i].Resolve() is not { } argument)
            {
                return null;
            }

            arguments[i] = argument;
        }

        return definition.MakeGenericType(arguments);
    }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(5);
        writer.Write(Kind);
        writer.Write(Assembly);
        writer.Write(ModuleVersionId.ToByteArray());
        writer.Write(Token);
        writer.WriteArrayHeader(Arguments.Length);
        foreach (var argument in Arguments)
        {
            argument.Write(ref writer);
        }
    }

    /// <summary>A module version id written as its 16 bytes, or <see cref="Guid.Empty"/> for anything else.</summary>
    internal static Guid ReadModuleVersionId(ref MessagePackReader reader)
    {
        // From the span: BuffersExtensions.ToArray<byte> would be compiled in every fresh worker.
        return reader.ReadBytes() is { Length: 16 } bytes ? (bytes.IsSingleSegment ? new Guid(bytes.FirstSpan) : new Guid(System.Buffers.BuffersExtensions.ToArray(bytes))) : Guid.Empty;
    }

    /// <summary>Reads a reference (<paramref name="depth"/> bounds the nesting a malformed message could claim).</summary>
    public static TypeReference Read(ref MessagePackReader reader, int depth = 0)
    {
        if (depth > 64 || reader.ReadArrayHeader() != 5)
        {
            throw new InvalidDataException("Malformed type reference.");
        }

        int kind = reader.ReadInt32();
        string assembly = reader.ReadString() ?? string.Empty;
        var mvid = ReadModuleVersionId(ref reader);
        int token = reader.ReadInt32();
        var arguments = new TypeReference[reader.ReadArrayHeader()];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Read(ref reader, depth + 1);
        }

        // An array has one element type and a rank the runtime can make (0 for a vector; 1 to 32).
        bool valid = kind == DefinitionKind || (kind == ArrayKind && arguments.Length == 1 && token is >= 0 and <= 32);
        return valid
            ? new TypeReference { Kind = kind, Assembly = assembly, ModuleVersionId = mvid, Token = token, Arguments = arguments }
            : throw new InvalidDataException($"Malformed type reference: kind {kind}, {arguments.Length} arguments, token {token}.");
    }
}
