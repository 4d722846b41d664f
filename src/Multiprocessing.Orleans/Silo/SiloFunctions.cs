using System.Collections.Concurrent;
using Multiprocessing.Functions;

namespace Multiprocessing.Orleans.Silo;

/// <summary>
/// Names a driver's function in this silo: only from assemblies this silo loads itself (by name, from its own
/// application; the driver's file paths are never used), and only the same build the driver runs.
/// </summary>
internal sealed class SiloFunctions
{
    private readonly ConcurrentDictionary<string, (FunctionDescriptor? Local, string? Problem)> _cache = new();

    /// <summary>The descriptor the silo's workers get, or why this silo cannot run the function.</summary>
    public (FunctionDescriptor? Local, string? Problem) Resolve(byte[] function)
        => _cache.GetOrAdd(Convert.ToBase64String(function), static (_, bytes) => Check(bytes), function);

    private static (FunctionDescriptor? Local, string? Problem) Check(byte[] bytes)
    {
        FunctionDescriptor remote;
        try
        {
            var reader = new MessagePack.MessagePackReader(bytes);
            remote = FunctionDescriptor.Read(ref reader);
        }
        catch (Exception ex) when (ex is InvalidDataException or MessagePack.MessagePackSerializationException or EndOfStreamException)
        {
            return (null, $"The function's descriptor is malformed: {ex.Message}");
        }

        var paths = new Dictionary<string, string>();
        Type? declaring = null;
        foreach (string name in remote.MethodGenericArguments.Append(remote.DelegateType).Append(remote.DeclaringType))
        {
            Type? type;
            try
            {
                type = Type.GetType(name, throwOnError: false);
            }
            catch (Exception ex) when (ex is IOException or BadImageFormatException or ArgumentException or TypeLoadException)
            {
                type = null;
            }

            if (type is null)
            {
                return (null, $"This silo cannot load {name} (for {remote.DisplayName}) from its own application: deploy the same application to every silo.");
            }

            Note(type, paths);
            declaring = type;
        }

        if (remote.ModuleVersionId != Guid.Empty && declaring!.Module.ModuleVersionId != remote.ModuleVersionId)
        {
            var assembly = declaring.Assembly.GetName();
            return (null, $"{remote.DisplayName}: the driver runs build {remote.ModuleVersionId} of {assembly.Name}, this silo runs build {declaring.Module.ModuleVersionId} ({assembly.Version}). Deploy the same build to the driver and every silo.");
        }

        // The silo's workers load what the silo itself loaded, never a path the driver named.
        return (remote with { AssemblyPaths = [.. paths] }, null);
    }

    private static void Note(Type type, Dictionary<string, string> paths)
    {
#pragma warning disable IL3000 // Empty in a single-file silo: its workers then find the assembly by name.
        if (type.Assembly is { IsDynamic: false, Location.Length: > 0 } a)
        {
            paths.TryAdd(a.FullName!, a.Location);
        }
#pragma warning restore IL3000

        foreach (var g in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            Note(g, paths);
        }

        if (type.HasElementType)
        {
            Note(type.GetElementType()!, paths);
        }
    }
}
