using Microsoft.CodeAnalysis;

namespace Multiprocessing.Analyzers;

/// <summary>The library's types, resolved once per compilation; absent when the compilation does not reference Multiprocessing.</summary>
internal sealed class PoolSymbols
{
    private PoolSymbols(INamedTypeSymbol pool, INamedTypeSymbol? poolBase, INamedTypeSymbol? poolInterface, INamedTypeSymbol? options)
    {
        Pool = pool;
        PoolBase = poolBase;
        PoolInterface = poolInterface;
        Options = options;
    }

    /// <summary><c>Multiprocessing.Pool</c>: the only receiver whose tasks leave the process.</summary>
    public INamedTypeSymbol Pool { get; }

    public INamedTypeSymbol? PoolBase { get; }

    public INamedTypeSymbol? PoolInterface { get; }

    public INamedTypeSymbol? Options { get; }

    public static PoolSymbols? Create(Compilation compilation)
    {
        INamedTypeSymbol? pool = compilation.GetTypeByMetadataName("Multiprocessing.Pool");
        return pool is null
            ? null
            : new PoolSymbols(
                pool,
                compilation.GetTypeByMetadataName("Multiprocessing.PoolBase"),
                compilation.GetTypeByMetadataName("Multiprocessing.IPool"),
                compilation.GetTypeByMetadataName("Multiprocessing.PoolOptions"));
    }

    /// <summary>True for a type whose methods issue tasks: Pool, PoolBase or IPool.</summary>
    public bool IsPoolApi(ITypeSymbol? type) =>
        type is not null
        && (SymbolEqualityComparer.Default.Equals(type, Pool)
            || SymbolEqualityComparer.Default.Equals(type, PoolBase)
            || SymbolEqualityComparer.Default.Equals(type, PoolInterface));
}
