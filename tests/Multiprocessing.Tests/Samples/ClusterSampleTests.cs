using System.Security.Cryptography;
using System.Text;
using Multiprocessing.Tests.Integration;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests.Samples;

/// <summary>
/// samples/Cluster as a user runs it, <c>dotnet run --project samples/Cluster</c> (built with the tests, so
/// <c>--no-build</c>): three silo processes start, the driver hashes the guide's words on them, and everything ends.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClusterSampleTests
{
    private const int Words = 200_000;

    // Three silos, six workers and a driver start on two cores that other tests keep busy.
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task DotnetRun_ThreeLocalSilos_HashesEveryWordInOrderAndExits()
    {
        // The configuration this assembly was built in (bin/<configuration>/<framework>), which built the sample too.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var run = await DotnetCommand.RunAsync(
            DotnetCommand.Host,
            ["run", "--no-build", "-c", configuration, "--project", Path.Combine("samples", "Cluster")],
            Repository.Root,
            s_timeout);

        Assert.False(run.TimedOut, $"samples/Cluster did not end within {s_timeout.TotalMinutes} minutes; killed." + Environment.NewLine + run.Transcript);
        run.AssertSucceeded("samples/Cluster");
        string[] lines = run.StandardOutput.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < 3; i++)
        {
            Assert.True(lines.Any(l => l.StartsWith($"Silo {i} ready (pid ", StringComparison.Ordinal)), $"No ready line for silo {i}." + Environment.NewLine + run.Transcript);
        }

        Assert.Contains($"Hashing {Words} words on 3 silos", lines);
        Assert.True(lines.Any(l => l.StartsWith($"Done, with {Words} hashes in ", StringComparison.Ordinal)), $"Expected {Words} distinct hashes." + Environment.NewLine + run.Transcript);
        Assert.Contains($"word0: {Hash("word0")}..., word{Words - 1}: {Hash($"word{Words - 1}")}...", lines);
    }

    /// <summary>The first 16 hex digits of a word's SHA-512, computed here rather than by the sample's code.</summary>
    private static string Hash(string word) => Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(word)))[..16];
}
