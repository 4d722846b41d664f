using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Multiprocessing.Tests.Support;
using Xunit.Abstractions;

namespace Multiprocessing.Tests.Docs;

/// <summary>
/// Every <c>```csharp</c> block of the repository's README.md compiles against the library as it is: each block is a
/// program of its own (top-level statements), given only the hidden lines in <see cref="Definitions"/> — the usings
/// a project has and the names the prose takes for granted (<c>words</c>, <c>items</c>, <c>Work</c>, <c>pool</c> …).
/// A block that declares a name itself uses its own.
/// </summary>
public sealed class ReadmeSnippetTests
{
    /// <summary>The hidden lines: a file beside each snippet, its members in scope through <c>using static</c>.</summary>
    private const string Definitions = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Multiprocessing;
        global using static ReadmeDefinitions;

        public static class ReadmeDefinitions
        {
            public static Pool pool = null!;
            public static string[] words = ["apple", "banana"];
            public static int[] items = [1, 2, 3];
            public static (int, int)[] pairs = [(1, 2), (3, 4)];
            public static string[] urls = ["http://localhost/"];
            public static string path = "input.txt";
            public static CancellationToken token;
            public static CancellationTokenSource cts = new();
            public static readonly HttpClient Http = new();

            public static int Square(int x) => x * x;
            public static int Work(int x) => x;
            public static int Work(string line) => line.Length;
            public static void Setup(string database) { }
            public static string HashWord(string word) => word;
            public static IEnumerable<int> Naturals() { for (int i = 0; ; i++) yield return i; }
            public static async IAsyncEnumerable<string> ReadLinesAsync(string file) { await Task.Yield(); yield return file; }

            /// <summary>The hosting snippet's hosted service.</summary>
            public sealed class Worker(IPool pool) : BackgroundService
            {
                protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.FromResult(pool);
            }
        }
        """;

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => MetadataReference.CreateFromFile(p)),
    ]);

    private static readonly CSharpParseOptions s_parse = new(LanguageVersion.Preview);

    private readonly ITestOutputHelper _log;

    public ReadmeSnippetTests(ITestOutputHelper log) => _log = log;

    public static TheoryData<int, string> Snippets()
    {
        var data = new TheoryData<int, string>();
        foreach (var (line, code) in ReadSnippets())
        {
            data.Add(line, code);
        }

        return data;
    }

    [Fact]
    public void Readme_HasCSharpSnippets_ForTheTheoryBelow()
        => Assert.True(ReadSnippets().Count >= 10, "Found fewer ```csharp blocks in README.md than expected: has the fence changed?");

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_AsShown_Compiles(int line, string code)
    {
        var compilation = CSharpCompilation.Create(
            "ReadmeSnippetAtLine" + line,
            [
                CSharpSyntaxTree.ParseText(code, s_parse, path: $"README.md:{line}"),
                CSharpSyntaxTree.ParseText(Definitions, s_parse, path: "ReadmeDefinitions.cs"),
            ],
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        // Errors only: a snippet's own `using Multiprocessing;` repeats a hidden global using (CS0105), and a snippet
        // shows values it does not go on to use.
        Diagnostic[] errors = [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
        foreach (var e in errors)
        {
            _log.WriteLine(e.ToString());
        }

        Assert.True(
            errors.Length == 0,
            $"The README's snippet at line {line} does not compile:{Environment.NewLine}" +
            string.Join(Environment.NewLine, errors.Select(e => e.ToString())) + Environment.NewLine + "---" + Environment.NewLine + code);
    }

    /// <summary>Each <c>```csharp</c> block of README.md with the line its code starts on.</summary>
    private static List<(int Line, string Code)> ReadSnippets()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Repository.Root, "README.md"));
        var snippets = new List<(int, string)>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!Regex.IsMatch(lines[i], @"^\s*```\s*csharp\s*$"))
            {
                continue;
            }

            int start = i + 1;
            int end = start;
            while (end < lines.Length && !Regex.IsMatch(lines[end], @"^\s*```\s*$"))
            {
                end++;
            }

            snippets.Add((start + 1, string.Join('\n', lines[start..end])));
            i = end;
        }

        return snippets;
    }
}
