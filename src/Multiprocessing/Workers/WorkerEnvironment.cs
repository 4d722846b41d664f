namespace Multiprocessing.Workers;

/// <summary>The environment variables that tell a started process it is a worker, and where to connect.</summary>
internal static class WorkerEnvironment
{
    public const string Socket = "MULTIPROCESSING_WORKER_SOCKET";
    public const string Index = "MULTIPROCESSING_WORKER_INDEX";
    public const string Token = "MULTIPROCESSING_WORKER_TOKEN";
    public const string Status = "MULTIPROCESSING_WORKER_STATUS";
    public const string StartupHooks = "DOTNET_STARTUP_HOOKS";

    public static bool IsWorker => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Socket));
}
