using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Multiprocessing.Analyzers.Tests;

/// <summary>Runs <see cref="PoolCallAnalyzer"/> (and its code fix) over a snippet compiled against this runtime and Multiprocessing.dll.</summary>
internal static class Verify
{
    // The running .NET and the real library, instead of reference packs downloaded at test time: the
    // tests work offline and always see the library's current API.
    private static readonly ImmutableArray<MetadataReference> s_references =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Select(path => MetadataReference.CreateFromFile(path)),
        MetadataReference.CreateFromFile(typeof(Pool).Assembly.Location),
    ];

    private static readonly ReferenceAssemblies s_none = new("net10.0");

    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Threading.Tasks;
        using Multiprocessing;

        """;

    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<PoolCallAnalyzer, DefaultVerifier>.Diagnostic(id);

    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<PoolCallAnalyzer, DefaultVerifier>
        {
            TestCode = Usings + source,
            ReferenceAssemblies = s_none,
        };
        test.TestState.AdditionalReferences.AddRange(s_references);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public static Task CodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new CSharpCodeFixTest<PoolCallAnalyzer, MakeLambdaStaticCodeFix, DefaultVerifier>
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
            ReferenceAssemblies = s_none,
        };
        test.TestState.AdditionalReferences.AddRange(s_references);
        test.FixedState.AdditionalReferences.AddRange(s_references);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
