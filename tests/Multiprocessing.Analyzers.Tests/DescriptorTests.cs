using Microsoft.CodeAnalysis;

namespace Multiprocessing.Analyzers.Tests;

/// <summary>What every diagnostic promises a user: a severity that matches how sure the failure is, and a page with the fix.</summary>
public sealed class DescriptorTests
{
    [Theory]
    [InlineData("MP0001", DiagnosticSeverity.Error)]
    [InlineData("MP0002", DiagnosticSeverity.Error)]
    [InlineData("MP0003", DiagnosticSeverity.Error)]
    [InlineData("MP0004", DiagnosticSeverity.Warning)]
    public void Descriptor_EachId_HasItsSeverityAndAHelpPage(string id, DiagnosticSeverity severity)
    {
        var descriptor = new PoolCallAnalyzer().SupportedDiagnostics.Single(d => d.Id == id);

        // A call certain to throw at run time is an error; the 'static' suggestion a warning, which command-line builds show.
        Assert.Equal(severity, descriptor.DefaultSeverity);

        string page = Path.Combine(RepoRoot(), "docs", "analyzers", id + ".md");
        Assert.True(File.Exists(page), $"{id} has no help page at {page}.");
        Assert.Contains("## Fix", File.ReadAllText(page), StringComparison.Ordinal);

        // No link until the public repository has an address (eng/Packaging.props), then the page under it.
        Assert.True(
            descriptor.HelpLinkUri.Length == 0 || descriptor.HelpLinkUri.EndsWith($"/docs/analyzers/{id}.md", StringComparison.Ordinal),
            $"{id} links to {descriptor.HelpLinkUri}, not its page in docs/analyzers.");
    }

    [Fact]
    public void SupportedDiagnostics_EveryOne_IsCoveredAbove()
        => Assert.Equal(["MP0001", "MP0002", "MP0003", "MP0004"], new PoolCallAnalyzer().SupportedDiagnostics.Select(d => d.Id).Order());

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Multiprocessing.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder holding Multiprocessing.slnx above {AppContext.BaseDirectory}.");
    }
}
