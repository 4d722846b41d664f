using Multiprocessing.Worker;

#pragma warning disable CA1050 // The runtime looks for a type named StartupHook in no namespace.
#pragma warning disable CA1812 // Instantiated by nobody: the runtime calls Initialize by reflection.

/// <summary>
/// Named by DOTNET_STARTUP_HOOKS in a worker's environment: the runtime calls <see cref="Initialize"/>
/// before the application's <c>Main</c>, and in a worker it never returns. In any other process it does
/// nothing, so the variable leaking into a task's own child processes is harmless.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        if (Multiprocessing.Workers.WorkerEnvironment.IsWorker)
        {
            Multiprocessing.Worker.WorkerSession.RunAndExit();
        }
    }
}
