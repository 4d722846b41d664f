namespace Multiprocessing.Workers;

/// <summary>The environment variables that tell a started process it is a worker, and where to connect.</summary>
internal static class WorkerEnvironment
{
    public const string Socket = "MULTIPROCESSING_WORKER_SOCKET";
    public const string Index = "MULTIPROCESSING_WORKER_INDEX";
    public const string Token = "MULTIPROCESSING_WORKER_TOKEN";
    public const string Status = "MULTIPROCESSING_WORKER_STATUS";

    /// <summary>The base name of the worker's shared-memory rings for large frames (absent: none).</summary>
    public const string Bulk = "MULTIPROCESSING_WORKER_BULK";
    public const string StartupHooks = "DOTNET_STARTUP_HOOKS";

    /// <summary>The runtime variables the parent chose for the worker (comma-separated), which the worker then
    /// removes from its environment so that processes its tasks start do not inherit them.</summary>
    public const string RuntimeDefaults = "MULTIPROCESSING_WORKER_RUNTIME_DEFAULTS";

    public static bool IsWorker => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Socket));

    /// <summary>
    /// Runtime settings for workers where the application chose none (in its runtimeconfig or the environment).
    /// Background GC stays on: off, it saves page faults on large arrays but slows ordinary tasks
    /// (docs/benchmarks.md, "Worker runtime settings", for this and the two below).
    /// </summary>
    public static void ApplyRuntimeDefaults(System.Diagnostics.ProcessStartInfo info)
    {
        List<string> chosen = [];

        // No dynamic PGO: a fresh worker would otherwise compile each hot task method three times (tier 0,
        // instrumented, optimized) while the task runs, its JIT thread competing with the task for the core.
        SetUnlessChosen(info, "System.Runtime.TieredPGO", "DOTNET_TieredPGO", "0", chosen);

        // Tier 1 after 1,000 calls instead of 30: a fresh worker's per-task path passes 30 calls in its first
        // second, and those compiles take the tasks' CPU; loops still get optimized code through on-stack replacement.
        SetUnlessChosen(info, "System.Runtime.TieredCompilation.CallCountThreshold", "DOTNET_TC_CallCountThreshold", "1000", chosen);

        // No debugger pipes and no diagnostic socket: a killed worker leaves those three files in TMPDIR
        // (Dispose kills). An application that sets any DOTNET_EnableDiagnostics* itself keeps its choice, so
        // DOTNET_EnableDiagnostics=1 in its environment makes workers attachable by dotnet-counters and dotnet-trace.
        if (!DiagnosticsChosen(info))
        {
            info.Environment[EnableDiagnostics] = "0";
            chosen.Add(EnableDiagnostics);
        }

        if (chosen.Count > 0)
        {
            info.Environment[RuntimeDefaults] = string.Join(',', chosen);
        }
    }

    /// <summary>In a worker, once the runtime has read them: removes the variables the parent chose for it.</summary>
    public static void ForgetRuntimeDefaults()
    {
        foreach (string name in (Environment.GetEnvironmentVariable(RuntimeDefaults) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        Environment.SetEnvironmentVariable(RuntimeDefaults, null);
    }

    /// <summary>The runtime's switch for the debugger, profiler and diagnostic IPC (dotnet-counters, dotnet-trace).</summary>
    public const string EnableDiagnostics = "DOTNET_EnableDiagnostics";

    private static bool DiagnosticsChosen(System.Diagnostics.ProcessStartInfo info)
    {
        foreach (string key in info.Environment.Keys)
        {
            if (key.StartsWith(EnableDiagnostics, StringComparison.OrdinalIgnoreCase) || key.StartsWith("COMPlus_EnableDiagnostics", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static void SetUnlessChosen(System.Diagnostics.ProcessStartInfo info, string runtimeConfigName, string variable, string value, List<string> chosen)
    {
        if (AppContext.GetData(runtimeConfigName) is null && !info.Environment.ContainsKey(variable))
        {
            info.Environment[variable] = value;
            chosen.Add(variable);
        }
    }
}
