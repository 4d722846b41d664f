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
    /// Background GC stays on: turning it off saved a worker receiving 64 MB arrays ~4,000 page faults per task,
    /// but made the guide's hash example 8% slower (Map of SHA-512 over 1 M words: 994–1,034 ms against
    /// 1,077–1,191 ms, medians of 7, three alternations).
    /// </summary>
    public static void ApplyRuntimeDefaults(System.Diagnostics.ProcessStartInfo info)
    {
        List<string> chosen = [];

        // No dynamic PGO: a fresh worker would otherwise compile each hot task method three times (tier 0,
        // instrumented, optimized) while the task runs, its JIT thread competing with the task for the core.
        // Measured on 2,000 tasks of 1.65 ms on a fresh Pool(2): 1.95 s with PGO, 1.78 s without (in-process
        // Parallel.For: 1.67 s); startup unchanged.
        SetUnlessChosen(info, "System.Runtime.TieredPGO", "DOTNET_TieredPGO", "0", chosen);

        // A method is recompiled at tier 1 after 1,000 calls instead of 30. In a fresh worker most of the
        // per-task and per-chunk path (MessagePack is not precompiled) crosses 30 calls within its first
        // second, and its tier-1 compiles took 60-80 ms of CPU per worker on the JIT's background thread,
        // which on a machine with as many cores as workers is taken from the tasks. Loops still reach
        // optimized code at once through on-stack replacement, and a method called 1,000 times is hot enough
        // to repay its compile. Measured on the benchmark's W2 (2,000 tasks of 2 ms, fresh Pool(2), medians
        // of 5): speed-up 1.89x -> 1.95x, Parallel.For 5.2% ahead -> 2.2%; W8 start-up unchanged (54-57 ms).
        // Turning tiering off altogether helped throughput as much but cost 20 ms of start-up (77 ms).
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
