using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Multiprocessing.Analyzers;

/// <summary>
/// Types that no serializer can carry to another process. Deliberately short: only what is wrong for
/// every serializer (the pool's serializer is pluggable, so "MessagePack has no formatter" is not
/// decidable here). A type is checked with its array elements and generic arguments, not its members.
/// </summary>
internal sealed class UnsendableTypes
{
    private const int MaxDepth = 8;

    private readonly INamedTypeSymbol? _delegate;
    private readonly List<(INamedTypeSymbol Type, string Reason)> _processBound = [];

    public UnsendableTypes(Compilation compilation)
    {
        _delegate = compilation.GetSpecialType(SpecialType.System_Delegate);
        AddBound(compilation, "System.IO.Stream", "a stream, which belongs to this process");
        AddBound(compilation, "System.Net.Sockets.Socket", "a socket, which belongs to this process");
        AddBound(compilation, "System.Threading.Thread", "a thread of this process");
        AddBound(compilation, "System.Threading.Tasks.Task", "a task running in this process (await it and send its result)");
        AddBound(compilation, "System.Threading.Tasks.ValueTask", "a task running in this process (await it and send its result)");
        AddBound(compilation, "System.Threading.Tasks.ValueTask`1", "a task running in this process (await it and send its result)");
    }

    /// <summary>Why <paramref name="type"/> cannot be sent, or null when nothing is known against it.</summary>
    public string? Reason(ITypeSymbol type) =>
        Find(type, 0) is { } found
            ? SymbolEqualityComparer.Default.Equals(found.Type, type)
                ? $"'{Display(type)}' is {found.What}"
                : $"it holds '{Display(found.Type)}', {found.What}"
            : null;

    private (ITypeSymbol Type, string What)? Find(ITypeSymbol type, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        if (type is IPointerTypeSymbol or IFunctionPointerTypeSymbol
            || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
        {
            return (type, "an address in this process's memory");
        }

        if (type.TypeKind == TypeKind.Delegate || (_delegate is not null && InheritsFrom(type, _delegate)))
        {
            return (type, "a delegate");
        }

        foreach ((INamedTypeSymbol bound, string reason) in _processBound)
        {
            if (InheritsFrom(type, bound))
            {
                return (type, reason);
            }
        }

        IEnumerable<ITypeSymbol> parts = type switch
        {
            IArrayTypeSymbol array => [array.ElementType],
            INamedTypeSymbol { IsGenericType: true } generic => generic.TypeArguments,
            _ => [],
        };
        foreach (ITypeSymbol part in parts)
        {
            if (Find(part, depth + 1) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    private static bool InheritsFrom(ITypeSymbol type, INamedTypeSymbol baseType)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private void AddBound(Compilation compilation, string metadataName, string reason)
    {
        if (compilation.GetTypeByMetadataName(metadataName) is { } type)
        {
            _processBound.Add((type, reason));
        }
    }
}
