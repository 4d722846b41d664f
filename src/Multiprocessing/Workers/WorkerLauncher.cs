using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Multiprocessing.Workers;

/// <summary>
/// Builds the command line that starts a worker. <see cref="StartMethod.Spawn"/>: the dotnet host runs
/// the application's entry assembly on the application's runtime config and dependency list, with our
/// assembly as a startup hook that becomes the worker before <c>Main</c>. <see cref="StartMethod.Exec"/>:
/// the application's own executable, whose <c>Main</c> calls <see cref="Pool.FreezeSupport"/>.
/// Everything is checked up front so that a pool that cannot start says why at once.
/// </summary>
internal sealed class WorkerLauncher
{
    private readonly string _fileName;
    private readonly string[] _arguments;
    private readonly string? _startupHook;

    private WorkerLauncher(string fileName, string[] arguments, string? startupHook)
    {
        _fileName = fileName;
        _arguments = arguments;
        _startupHook = startupHook;
    }

    public string Description => _fileName + " " + string.Join(' ', _arguments);

    public static WorkerLauncher Create(StartMethod method)
    {
#pragma warning disable IL3000 // Empty in a single-file app, which is handled: no hook, Exec only.
        string? hook = typeof(WorkerLauncher).Assembly.Location is { Length: > 0 } location ? location : null;
        string? processPath = Environment.ProcessPath;
        bool runByDotnetHost = processPath is not null && Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (method == StartMethod.Exec && !runByDotnetHost)
        {
            if (processPath is null || !File.Exists(processPath))
            {
                throw new InvalidOperationException($"StartMethod.Exec needs the application's executable, but its path is unknown ({processPath ?? "null"}).");
            }

            return new WorkerLauncher(processPath, [], hook);
        }

        if (hook is null)
        {
            throw new InvalidOperationException(
                "StartMethod.Spawn cannot start workers from a single-file application (the Multiprocessing assembly has no file of its own). " +
                "Use PoolOptions.StartMethod = StartMethod.Exec and call Pool.FreezeSupport() at the top of Main.");
        }

        string host = runByDotnetHost ? processPath! : FindDotnetHost();
        string entry = Assembly.GetEntryAssembly()?.Location is { Length: > 0 } e ? e
            : Environment.GetCommandLineArgs().FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("Cannot start workers: the application's entry assembly has no file on disk.");
#pragma warning restore IL3000
        string deps = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            ?? Path.ChangeExtension(entry, ".deps.json");
        string runtimeConfig = deps.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase)
            ? deps[..^".deps.json".Length] + ".runtimeconfig.json"
            : Path.ChangeExtension(entry, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
        {
            runtimeConfig = Path.ChangeExtension(entry, ".runtimeconfig.json");
        }

        foreach (var (what, path) in new[] { ("dotnet host", host), ("entry assembly", entry), ("runtime config", runtimeConfig) })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"Cannot start workers: the {what} '{path}' does not exist. For a self-contained or single-file app use StartMethod.Exec with Pool.FreezeSupport().");
            }
        }

        var args = new List<string> { "exec", "--runtimeconfig", runtimeConfig };
        if (File.Exists(deps))
        {
            args.Add("--depsfile");
            args.Add(deps);
        }

        args.Add(entry);
        return new WorkerLauncher(host, [.. args], hook);
    }

    public ProcessStartInfo StartInfo(string socketPath, int index, string token, string statusPath)
    {
        var info = new ProcessStartInfo(_fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        foreach (var a in _arguments)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment[WorkerEnvironment.Socket] = socketPath;
        info.Environment[WorkerEnvironment.Index] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment[WorkerEnvironment.Token] = token;
        info.Environment[WorkerEnvironment.Status] = statusPath;
        if (_startupHook is not null)
        {
            string? existing = Environment.GetEnvironmentVariable(WorkerEnvironment.StartupHooks);
            info.Environment[WorkerEnvironment.StartupHooks] = string.IsNullOrEmpty(existing) ? _startupHook : _startupHook + Path.PathSeparator + existing;
        }

        // Tasks print through a pipe to the parent, which forwards each line as it comes.
        info.Environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "1";
        return info;
    }

    private static string FindDotnetHost()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } fromSdk && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        // The shared runtime lives at <root>/shared/Microsoft.NETCore.App/<version>/; the host is at <root>.
        string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        if (File.Exists(Path.Combine(runtimeDir, "System.Private.CoreLib.dll")) && Path.GetFullPath(runtimeDir).TrimEnd(Path.DirectorySeparatorChar) == Path.GetFullPath(AppContext.BaseDirectory).TrimEnd(Path.DirectorySeparatorChar))
        {
            throw new InvalidOperationException("Cannot start workers with StartMethod.Spawn: this application is self-contained (no dotnet host). Use PoolOptions.StartMethod = StartMethod.Exec and call Pool.FreezeSupport() at the top of Main.");
        }

        string root = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        string candidate = Path.Combine(root, exe);
        if (File.Exists(candidate))
        {
            return candidate;
        }

        foreach (var variable in new[] { "DOTNET_ROOT", "DOTNET_ROOT_X64" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } r && File.Exists(Path.Combine(r, exe)))
            {
                return Path.Combine(r, exe);
            }
        }

        throw new InvalidOperationException($"Cannot start workers: no dotnet host found (looked for {candidate}, DOTNET_HOST_PATH and DOTNET_ROOT). Install the .NET runtime or use StartMethod.Exec.");
    }
}
