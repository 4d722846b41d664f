namespace Multiprocessing;

/// <summary>How worker processes are started: the .NET counterpart of Python's start-method context.</summary>
public enum StartMethod
{
    /// <summary>
    /// Start a fresh runtime (<c>dotnet exec</c>) on the application's own runtime config and dependency
    /// files, with a startup hook that turns it into a worker before the application's <c>Main</c> runs.
    /// Needs no change to the application. Works under <c>dotnet run</c>, <c>dotnet test</c>,
    /// <c>dotnet app.dll</c> and a framework-dependent app host.
    /// </summary>
    Spawn,

    /// <summary>
    /// Re-run the application's own executable (for self-contained and single-file publishing). The
    /// application's <c>Main</c> must call <see cref="Pool.FreezeSupport"/> first, as Python's
    /// <c>freeze_support()</c>.
    /// </summary>
    Exec,
}
