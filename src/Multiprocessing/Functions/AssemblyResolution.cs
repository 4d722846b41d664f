using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace Multiprocessing.Functions;

/// <summary>
/// In a worker: loads by path the assemblies the parent had loaded from outside the application's
/// dependency list (plugins, test assemblies loaded by a host), so the worker can find every method.
/// </summary>
internal static class AssemblyResolution
{
    private static readonly ConcurrentDictionary<string, string> s_paths = new(StringComparer.OrdinalIgnoreCase);
    private static int s_installed;

    public static void Register(string fullName, string path)
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += OnResolving;
        }

        s_paths.TryAdd(SimpleName(fullName), path);
    }

    /// <summary>
    /// The simple name of an assembly's full name: what precedes the first comma, unless the name holds a character
    /// that may be escaped or quoted, which the full parser decodes (a cold worker pays milliseconds for that parser).
    /// </summary>
    internal static string SimpleName(string fullName)
    {
        int comma = fullName.IndexOf(',', StringComparison.Ordinal);
        string head = (comma < 0 ? fullName : fullName[..comma]).Trim();
        foreach (char c in head)
        {
            if (c is '\\' or '"' or '\'' or '=')
            {
                return new AssemblyName(fullName).Name ?? fullName;
            }
        }

        return head.Length > 0 ? head : new AssemblyName(fullName).Name ?? fullName;
    }

    private static Assembly? OnResolving(AssemblyLoadContext context, AssemblyName name)
        => name.Name is { } n && s_paths.TryGetValue(n, out var path) && File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
}
