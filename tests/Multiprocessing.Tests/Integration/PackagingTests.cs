using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Multiprocessing.Tests.Support;
using Xunit.Abstractions;

namespace Multiprocessing.Tests.Integration;

/// <summary>
/// The packages as a user gets them: packed once (<see cref="PackedPackages"/>), checked for what a company's intake
/// looks at (license, readme, repository commit, symbols, no build-machine paths), and used by a consumer app
/// outside the repository that knows nothing but a folder feed and the normal package source. Run alone with the
/// publishing tests: a pack takes the whole machine.
/// </summary>
[Trait("Category", "Integration")]
[Collection(PublishCollection.Name)]
public sealed class PackagingTests : IClassFixture<PackedPackages>
{
    private static readonly string[] s_packageIds = ["Multiprocessing", "Multiprocessing.Extensions.Hosting", "Multiprocessing.Managers", "Multiprocessing.Orleans"];
    private static readonly TimeSpan s_consumerTimeout = TimeSpan.FromMinutes(3);

    /// <summary>'RTR' as a little-endian uint: the signature of the READYTORUN_HEADER the CLI header's ManagedNativeHeader points to.</summary>
    private const uint ReadyToRunSignature = 0x00525452;

    /// <summary>The sum of x * x for x in 0..999.</summary>
    private const int ExpectedSum = 332_833_500;

    private readonly PackedPackages _packages;
    private readonly ITestOutputHelper _log;

    public PackagingTests(PackedPackages packages, ITestOutputHelper log)
    {
        _packages = packages;
        _log = log;
    }

    [Fact]
    public void PackagesSolution_EveryPackableProject_IsListed()
    {
        string solution = File.ReadAllText(Path.Combine(Repository.Root, "eng", "Packages.slnx"));
        string[] packable =
        [
            .. Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.csproj", SearchOption.AllDirectories)
                .Where(p => Regex.IsMatch(File.ReadAllText(p), @"<IsPackable>\s*true\s*</IsPackable>", RegexOptions.IgnoreCase))
                .Select(p => Path.GetRelativePath(Repository.Root, p).Replace('\\', '/')),
        ];

        Assert.NotEmpty(packable);
        string[] missing = [.. packable.Where(p => !solution.Contains("../" + p, StringComparison.Ordinal))];
        Assert.True(missing.Length == 0, $"eng/Packages.slnx does not list the packable project(s) {string.Join(", ", missing)}: they would never be packed or tested as packages.");
    }

    [Fact]
    public async Task Pack_EveryPackage_CarriesLicenseReadmeRepositoryAndSymbols()
    {
        await _packages.PackAsync(_log.WriteLine);
        string expectedVersion = VersionPrefix() + "-" + PackedPackages.VersionSuffix;
        string? head = await GitHeadAsync();

        foreach (string id in s_packageIds)
        {
            using var nupkg = ZipFile.OpenRead(_packages.Package(id));
            var nuspec = ReadNuspec(nupkg, id);
            string Field(string name) => nuspec.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? "";

            Assert.Equal(expectedVersion, Field("version"));
            Assert.Equal("Multiprocessing.NET contributors", Field("authors"));
            Assert.Contains("Multiprocessing.NET contributors", Field("copyright"), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(Field("description")), $"{id} has no description.");
            Assert.Contains("multiprocessing", Field("tags").Split(' '));

            var license = nuspec.Elements().Single(e => e.Name.LocalName == "license");
            Assert.Equal("expression", (string?)license.Attribute("type"));
            Assert.Equal("MIT", license.Value);

            string readme = Field("readme");
            Assert.True(readme.Length > 0 && nupkg.GetEntry(readme) is { Length: > 0 }, $"{id} names readme '{readme}' but does not carry it.");

            var repository = nuspec.Elements().Single(e => e.Name.LocalName == "repository");
            Assert.Equal("git", (string?)repository.Attribute("type"));
            string commit = (string?)repository.Attribute("commit") ?? "";
            Assert.Matches("^[0-9a-f]{40}$", commit);
            if (head is not null)
            {
                Assert.Equal(head, commit);
            }

            using var snupkg = ZipFile.OpenRead(_packages.Package(id, ".snupkg"));
            Assert.Contains(snupkg.Entries, e => e.FullName == $"lib/net10.0/{id}.pdb");
        }
    }

    [Theory]
    [InlineData("Multiprocessing.Managers", true)]
    [InlineData("Multiprocessing.Orleans", true)]
    [InlineData("Multiprocessing.Extensions.Hosting", false)]
    public async Task Pack_PackageOverTheCore_DependsOnItWithAnalyzers(string id, bool usesInternals)
    {
        await _packages.PackAsync(_log.WriteLine);
        using var nupkg = ZipFile.OpenRead(_packages.Package(id));
        var dependency = ReadNuspec(nupkg, id).Descendants()
            .FirstOrDefault(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "Multiprocessing");
        Assert.True(dependency is not null, $"{id} does not depend on Multiprocessing.");

        // A package that uses the core's internals depends on exactly its own version: any other could fail at run time.
        string version = _packages.Version("Multiprocessing");
        Assert.Equal(usesInternals ? $"[{version}]" : version, (string?)dependency.Attribute("version"));

        // The analyzers (MP0001-MP0004) reach an app that adds only this package.
        string excluded = (string?)dependency.Attribute("exclude") ?? "";
        Assert.DoesNotContain("Analyzers", excluded, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Multiprocessing")]
    [InlineData("Multiprocessing.Managers")]
    public async Task Pack_LibraryDll_IsReadyToRunWithNoBuildMachinePath(string id)
    {
        await _packages.PackAsync(_log.WriteLine);
        using var nupkg = ZipFile.OpenRead(_packages.Package(id));
        var entry = nupkg.GetEntry($"lib/net10.0/{id}.dll");
        Assert.NotNull(entry);
        var image = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(image);
        }

        image.Position = 0;
        using var pe = new PEReader(image);
        var cli = pe.PEHeaders.CorHeader;
        Assert.NotNull(cli);
        AssertNoBuildMachinePath(pe);

        // The project precompiles only where the SDK runs on linux-x64 (eng/ReadyToRun.targets); elsewhere the IL ships.
        if (!(OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64))
        {
            _log.WriteLine($"ReadyToRun not checked: the library is precompiled on linux-x64 only, this is {RuntimeInformation.RuntimeIdentifier}.");
            return;
        }

        var native = cli.ManagedNativeHeaderDirectory;
        Assert.True(
            native.Size > 0,
            $"The packed {id}.dll ({image.Length / 1024} KB) has no ManagedNativeHeader: it was not compiled ReadyToRun (crossgen2 not found?).");
        uint signature = BinaryPrimitives.ReadUInt32LittleEndian(pe.GetSectionData(native.RelativeVirtualAddress).GetContent(0, 4).AsSpan());
        Assert.True(signature == ReadyToRunSignature, $"The ManagedNativeHeader holds 0x{signature:x8}, not a READYTORUN_HEADER.");
    }

    private void AssertNoBuildMachinePath(PEReader pe)
    {
        var codeView = pe.ReadDebugDirectory().Where(d => d.Type == DebugDirectoryEntryType.CodeView).Select(pe.ReadCodeViewDebugDirectoryData).ToList();
        Assert.NotEmpty(codeView);
        foreach (var cv in codeView)
        {
            Assert.True(
                cv.Path.StartsWith("/_/", StringComparison.Ordinal) && !cv.Path.Contains(_packages.Root, StringComparison.Ordinal),
                $"The packed DLL names its PDB by a build-machine path: {cv.Path}");
        }
    }

    [Fact]
    public async Task ConsumerApp_FromPackedPackages_RunsMapAndManagerProxiesInWorkersAndReportsMP0001AndMP0004()
    {
        await _packages.PackAsync(_log.WriteLine);
        string app = WriteConsumer();
        string packages = Path.Combine(_packages.Root, "consumer-packages");

        // NUGET_PACKAGES would override the consumer's own nuget.config; the consumer's global folder is its own
        // (deleted with the fixture), the user's is only a read-only fallback for the dependencies.
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages };

        async Task<CommandResult> Dotnet(params string[] arguments)
        {
            var result = await DotnetCommand.RunAsync(DotnetCommand.Host, [.. arguments, .. DotnetCommand.NoLeftovers], app, s_consumerTimeout, environment);
            _log.WriteLine($"{result.Elapsed.TotalSeconds:F1} s  exit {result.ExitCode}  {result.Command}");
            Assert.False(result.TimedOut, result.Transcript);
            return result;
        }

        (await Dotnet("restore")).AssertSucceeded("Restoring the consumer from the folder feed");
        Assert.True(
            Directory.Exists(Path.Combine(packages, "multiprocessing", _packages.Version("Multiprocessing"))),
            $"The consumer did not restore Multiprocessing from the folder feed into {packages}.");

        var run = (await Dotnet("run", "--no-restore")).AssertSucceeded("Running the consumer's Pool.Map");
        var line = Regex.Match(run.StandardOutput, @"^sum=(?<sum>\d+) workers=(?<workers>[\d,]+) parent=(?<parent>\d+)\r?$", RegexOptions.Multiline);
        Assert.True(line.Success, "The consumer printed no result line." + Environment.NewLine + run.Transcript);
        Assert.Equal(ExpectedSum, int.Parse(line.Groups["sum"].Value, CultureInfo.InvariantCulture));
        string parent = line.Groups["parent"].Value;
        Assert.DoesNotContain(parent, line.Groups["workers"].Value.Split(','));

        // Manager proxies passed to tasks: the workers loaded Multiprocessing.Managers from the app and counted under the shared lock.
        var managed = Regex.Match(run.StandardOutput, @"^managed=(?<count>-?\d+) in=(?<pids>[-\d,]+)\r?$", RegexOptions.Multiline);
        Assert.True(managed.Success, "The consumer printed no manager line." + Environment.NewLine + run.Transcript);
        Assert.Equal(8, int.Parse(managed.Groups["count"].Value, CultureInfo.InvariantCulture));
        Assert.DoesNotContain(parent, managed.Groups["pids"].Value.Split(','));
        Assert.DoesNotContain("-1", managed.Groups["pids"].Value.Split(','));

        // The same app with a capturing lambda and a capture-free one not marked static: the analyzer in the package
        // must report both in a command-line build (MP0001 fails the build).
        var capturing = await Dotnet("build", "--no-restore", "-p:DefineConstants=CAPTURING");
        Assert.True(
            Regex.IsMatch(capturing.Output, @"Program\.cs\(\d+,\d+\): (warning|error) MP0001"),
            "The analyzer did not report MP0001 for the capturing lambda." + Environment.NewLine + capturing.Transcript);
        Assert.True(
            Regex.IsMatch(capturing.Output, @"Program\.cs\(\d+,\d+\): warning MP0004"),
            "A command-line build did not show MP0004 for the capture-free lambda not marked static." + Environment.NewLine + capturing.Transcript);
    }

    private string WriteConsumer()
    {
        string app = Path.Combine(_packages.Root, "consumer");
        Directory.CreateDirectory(app);

        // Nothing above the temporary folder may change the build.
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />");

        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local-feed" value="{_packages.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <!-- Our packages come from our feed only, never from a package of the same name elsewhere. -->
              <packageSourceMapping>
                <packageSource key="local-feed">
                  <package pattern="Multiprocessing" />
                  <package pattern="Multiprocessing.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
              <fallbackPackageFolders>
                <clear />
                <add key="user" value="{PackedPackages.UserPackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Multiprocessing" Version="{_packages.Version("Multiprocessing")}" />
                <PackageReference Include="Multiprocessing.Extensions.Hosting" Version="{_packages.Version("Multiprocessing.Extensions.Hosting")}" />
                <PackageReference Include="Multiprocessing.Managers" Version="{_packages.Version("Multiprocessing.Managers")}" />
              </ItemGroup>
            </Project>
            """);

        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Microsoft.Extensions.DependencyInjection;
            using Multiprocessing;
            using Multiprocessing.Managers;

            using var pool = new Pool(2);
            int sum = pool.Map(Square, Enumerable.Range(0, 1000)).Sum();
            int[] workers = [.. pool.Map(WorkerPid, Enumerable.Range(0, 8), chunksize: 1).Distinct()];
            Console.WriteLine($"sum={sum} workers={string.Join(',', workers)} parent={Environment.ProcessId}");
            Console.WriteLine($"hosting={typeof(PoolServiceCollectionExtensions).Assembly.GetName().Name}");

            using var manager = new Manager();
            var counter = manager.Value(0);
            var sharedLock = manager.Lock();
            int[] counted = [.. pool.Map(Count, Enumerable.Repeat((counter, sharedLock), 8), chunksize: 1).Distinct()];
            Console.WriteLine($"managed={counter.Value} in={string.Join(',', counted)}");

            #if CAPTURING
            int offset = 1;
            pool.Map(x => x + offset, [1, 2]);
            pool.Map(x => x * 2, [1, 2]);
            #endif

            static int Square(int x) => x * x;
            static int WorkerPid(int _) => Environment.ProcessId;
            static int Count((ValueProxy<int> Counter, LockProxy Lock) shared)
            {
                using (shared.Lock.Acquire())
                {
                    shared.Counter.Value += 1;
                }

                return WorkerInfo.IsInWorker ? Environment.ProcessId : -1;
            }
            """);
        return app;
    }

    private static XElement ReadNuspec(ZipArchive nupkg, string id)
    {
        var entry = nupkg.GetEntry(id + ".nuspec");
        Assert.NotNull(entry);
        using var stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string VersionPrefix()
    {
        var props = XDocument.Load(Path.Combine(Repository.Root, "eng", "Packaging.props"));
        return props.Descendants().Single(e => e.Name.LocalName == "VersionPrefix").Value.Trim();
    }

    /// <summary>The commit checked out, or null where git cannot say (no git on the machine).</summary>
    private static async Task<string?> GitHeadAsync()
    {
        try
        {
            var result = await DotnetCommand.RunAsync("git", ["rev-parse", "HEAD"], Repository.Root, TimeSpan.FromSeconds(30));
            return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
