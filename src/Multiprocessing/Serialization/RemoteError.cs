using System.Collections;
using System.Reflection;
using System.Runtime.ExceptionServices;
using MessagePack;

namespace Multiprocessing.Serialization;

/// <summary>
/// An exception as it crosses the process boundary: type, message, stack, inner exceptions and the
/// primitive entries of <see cref="Exception.Data"/>. Written by hand with MessagePack's writer so that
/// it does not depend on the pluggable serializer (an exception must always get through).
/// </summary>
internal sealed class RemoteError
{
    private const int MaxDepth = 16;

    public required string TypeName { get; init; }

    public required string Message { get; init; }

    public string? StackTrace { get; init; }

    public List<RemoteError> Inner { get; init; } = [];

    public List<KeyValuePair<string, string>> Data { get; init; } = [];

    public static RemoteError From(Exception exception, int depth = 0)
    {
        var inner = new List<RemoteError>();
        if (depth < MaxDepth)
        {
            if (exception is AggregateException aggregate)
            {
                inner.AddRange(aggregate.InnerExceptions.Select(e => From(e, depth + 1)));
            }
            else if (exception.InnerException is { } single)
            {
                inner.Add(From(single, depth + 1));
            }
        }

        var data = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in exception.Data)
        {
            if (entry.Key is string key && entry.Value is string or IConvertible)
            {
                data.Add(new(key, Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
            }
        }

        Type type = exception.GetType();
        return new RemoteError
        {
            TypeName = exception is RemoteException remote ? remote.RemoteType : type.AssemblyQualifiedName ?? type.FullName ?? type.Name,
            Message = exception is RemoteException r ? r.Message[(r.RemoteType.Length + 2)..] : exception.Message,
            StackTrace = exception.StackTrace,
            Inner = inner,
            Data = data,
        };
    }

    /// <summary>Rebuilds the exception: the original type when it can be made here, else <see cref="RemoteException"/>.</summary>
    public Exception ToException()
    {
        Exception[] inner = [.. Inner.Select(i => i.ToException())];
        Exception result = TryRebuild(inner) ?? new RemoteException(ShortTypeName(TypeName), Message, StackTrace, inner.FirstOrDefault());
        foreach (var (key, value) in Data)
        {
            result.Data[key] = value;
        }

        if (result is not RemoteException && StackTrace is not null)
        {
            ExceptionDispatchInfo.SetRemoteStackTrace(result, StackTrace + Environment.NewLine);
        }

        return result;
    }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(5);
        writer.Write(TypeName);
        writer.Write(Message);
        writer.Write(StackTrace);
        writer.WriteArrayHeader(Inner.Count);
        foreach (var i in Inner)
        {
            i.Write(ref writer);
        }

        writer.WriteMapHeader(Data.Count);
        foreach (var (key, value) in Data)
        {
            writer.Write(key);
            writer.Write(value);
        }
    }

    public static RemoteError Read(ref MessagePackReader reader, int depth = 0)
    {
        if (depth > MaxDepth || reader.ReadArrayHeader() != 5)
        {
            throw new InvalidDataException("Malformed exception record.");
        }

        string type = reader.ReadString() ?? "?";
        string message = reader.ReadString() ?? string.Empty;
        string? stack = reader.ReadString();
        int innerCount = reader.ReadArrayHeader();
        var inner = new List<RemoteError>(innerCount);
        for (int i = 0; i < innerCount; i++)
        {
            inner.Add(Read(ref reader, depth + 1));
        }

        int dataCount = reader.ReadMapHeader();
        var data = new List<KeyValuePair<string, string>>(dataCount);
        for (int i = 0; i < dataCount; i++)
        {
            data.Add(new(reader.ReadString() ?? string.Empty, reader.ReadString() ?? string.Empty));
        }

        return new RemoteError { TypeName = type, Message = message, StackTrace = stack, Inner = inner, Data = data };
    }

    private static string ShortTypeName(string assemblyQualified)
    {
        int comma = assemblyQualified.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? assemblyQualified : assemblyQualified[..comma];
    }

    private Exception? TryRebuild(Exception[] inner)
    {
        Type? type;
        try
        {
            type = Type.GetType(TypeName, throwOnError: false);
        }
        catch (Exception ex) when (ex is FileLoadException or BadImageFormatException or ArgumentException)
        {
            return null;
        }

        if (type is null || !typeof(Exception).IsAssignableFrom(type) || type.IsAbstract)
        {
            return null;
        }

        try
        {
            if (type == typeof(AggregateException))
            {
                return new AggregateException(Message, inner);
            }

            Exception? innerOne = inner.FirstOrDefault();
            if (type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(string), typeof(Exception)]) is { } withInner)
            {
                return (Exception)withInner.Invoke([Message, innerOne]);
            }

            if (innerOne is null && type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(string)]) is { } withMessage)
            {
                var candidate = (Exception)withMessage.Invoke([Message]);

                // Some types take something else than the message in their string constructor
                // (ArgumentNullException takes a parameter name): keep them only if the message survives.
                return candidate.Message == Message ? candidate : null;
            }
        }
        catch (TargetInvocationException)
        {
            return null;
        }

        return null;
    }
}
