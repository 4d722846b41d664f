using System.Text.RegularExpressions;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests.Integration;

/// <summary>
/// Packs every package of the repository (eng/Packages.slnx) once, in Release, into a temporary folder feed, as
/// a release build in CI would (ContinuousIntegrationBuild). It builds into its own artifacts folder so it shares
/// no obj folder with the developer's builds, and it runs with NUGET_PACKAGES spelled without its trailing slash,
/// the setting that once left the library silently not precompiled. Everything lives in one temporary folder,
/// deleted with the fixture.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    /// <summary>A version no feed other than ours can hold, so a consumer cannot pick up a stale copy.</summary>
    public const string VersionSuffix = "packtest";

    private static readonly TimeSpan s_packTimeout = TimeSpan.FromMinutes(6);

    private readonly Lazy<Task<CommandResult>> _pack;

    public PackedPackages()
    {
        Root = Directory.CreateTempSubdirectory("mp-pack-").FullName;
        _pack = new(PackAsync);
    }

    /// <summary>The temporary folder that holds the feed, the artifacts and whatever a test builds from them.</summary>
    public string Root { get; }

    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The user's global packages folder, where everything the repository restores already is.</summary>
    public static string UserPackages
        => Path.TrimEndingDirectorySeparator(
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
                ? set
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"));

    /// <summary>Packs on first use; later callers get the same result.</summary>
    public async Task<CommandResult> PackAsync(Action<string> log)
    {
        var result = await _pack.Value;
        log($"{result.Elapsed.TotalSeconds:F1} s  exit {result.ExitCode}  {result.Command}");
        return result.AssertSucceeded("Packing eng/Packages.slnx");
    }

    /// <summary>The packed version of every package (they share one), read from the feed.</summary>
    public string Version(string packageId)
    {
        var match = Directory.EnumerateFiles(Feed, packageId + ".*.nupkg")
            .Select(f => Regex.Match(Path.GetFileName(f), "^" + Regex.Escape(packageId) + @"\.(?<v>\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?)\.nupkg$"))
            .FirstOrDefault(m => m.Success);
        Assert.True(match is not null, $"No {packageId} package in {Feed}: {string.Join(", ", Directory.EnumerateFiles(Feed).Select(Path.GetFileName))}");
        return match.Groups["v"].Value;
    }

    public string Package(string packageId, string extension = ".nupkg")
        => Path.Combine(Feed, $"{packageId}.{Version(packageId)}{extension}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file still held open; the system's temporary folder is cleaned eventually.
        }
    }

    private Task<CommandResult> PackAsync()
        => DotnetCommand.RunAsync(
            DotnetCommand.Host,
            [
                "pack", Path.Combine(Repository.Root, "eng", "Packages.slnx"), "-c", "Release",
                "-o", Feed,
                "--artifacts-path", Path.Combine(Root, "artifacts"),
                "-p:ContinuousIntegrationBuild=true",
                "-p:VersionSuffix=" + VersionSuffix,
                .. DotnetCommand.NoLeftovers,
            ],
            Repository.Root,
            s_packTimeout,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = UserPackages });
}
