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
        // Every getter of a user's exception may throw (a Message built from state that is gone, say): a bad
        // exception must fail its task with what could be read, never take the worker down with it.
        var inner = new List<RemoteError>();
        if (depth < MaxDepth)
        {
            try
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
#pragma warning disable CA1031 // A getter that throws loses only what it would have given.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                inner.Clear();
                inner.Add(Unreadable(exception, "InnerException", ex));
            }
        }

        var data = new List<KeyValuePair<string, string>>();
        try
        {
            foreach (DictionaryEntry entry in exception.Data)
            {
                if (entry.Key is string key && entry.Value is string or IConvertible)
                {
                    data.Add(new(key, Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
                }
            }
        }
#pragma warning disable CA1031 // A getter that throws loses only what it would have given.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            data.Add(new("Multiprocessing.UnreadableData", $"{ex.GetType().Name}: {Guarded(() => ex.Message, "?")}"));
        }

        Type type = exception.GetType();
        return new RemoteError
        {
            TypeName = exception is RemoteException remote ? remote.RemoteType : type.AssemblyQualifiedName ?? type.FullName ?? type.Name,
            Message = Guarded(() => exception is RemoteException r ? r.Message[(r.RemoteType.Length + 2)..] : exception.Message, ex => $"({type.Name}.Message threw {ex.GetType().Name}: {Guarded(() => ex.Message, "?")})") ?? string.Empty,
            StackTrace = Guarded(() => exception.StackTrace, ex => $"({type.Name}.StackTrace threw {ex.GetType().Name})"),
            Inner = inner,
            Data = data,
        };
    }

    private static RemoteError Unreadable(Exception exception, string getter, Exception error) => new()
    {
        TypeName = typeof(InvalidOperationException).AssemblyQualifiedName!,
        Message = $"{exception.GetType().Name}.{getter} threw {error.GetType().Name}: {Guarded(() => error.Message, "?")}",
    };

    private static string? Guarded(Func<string?> read, Func<Exception, string> instead)
    {
        try
        {
            return read();
        }
#pragma warning disable CA1031 // The caller says what to send in place of what could not be read.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return instead(ex);
        }
    }

    private static string Guarded(Func<string?> read, string instead) => Guarded(read, _ => instead) ?? instead;

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
        Utf16String.Write(ref writer, TypeName);
        Utf16String.Write(ref writer, Message);
        Utf16String.Write(ref writer, StackTrace);
        writer.WriteArrayHeader(Inner.Count);
        foreach (var i in Inner)
        {
            i.Write(ref writer);
        }

        writer.WriteMapHeader(Data.Count);
        foreach (var (key, value) in Data)
        {
            Utf16String.Write(ref writer, key);
            Utf16String.Write(ref writer, value);
        }
    }

    public static RemoteError Read(ref MessagePackReader reader, int depth = 0)
    {
        if (depth > MaxDepth || reader.ReadArrayHeader() != 5)
        {
            throw new InvalidDataException("Malformed exception record.");
        }

        string type = Utf16String.Read(ref reader) ?? "?";
        string message = Utf16String.Read(ref reader) ?? string.Empty;
        string? stack = Utf16String.Read(ref reader);
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
            data.Add(new(Utf16String.Read(ref reader) ?? string.Empty, Utf16String.Read(ref reader) ?? string.Empty));
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
