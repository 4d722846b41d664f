using System.Runtime.CompilerServices;
using Multiprocessing.Protocol;

namespace Multiprocessing.Workers;

/// <summary>
/// The exception for arguments that cannot be serialized: it names the parameter of the call (<c>arg2</c> of an
/// Apply, <c>iterable</c> of a Map), the function, and the value's own type when it was declared as something wider
/// (a <see cref="MemoryStream"/> passed as <see cref="object"/>).
/// </summary>
internal static class ArgumentErrors
{
    /// <summary>The error for <paramref name="items"/> that failed to serialize; <paramref name="oneCall"/> for an Apply
    /// (its arguments are parameters of the call), else the items of a Map.</summary>
    public static ArgumentException Unserializable<TArgs>(IPoolSerializer serializer, Delegate function, string functionName, TArgs[] items, bool oneCall, Exception error)
    {
        int arity = function.Method.GetParameters().Length;
        string parameter = oneCall ? "arg1" : "iterable";
        string declared = typeof(TArgs).ToString();
        string? actual = null;
        foreach (var item in items)
        {
            if (Serializes(serializer, item))
            {
                continue;
            }

            if (arity > 1 && item is ITuple tuple)
            {
                // Several arguments travel as one tuple: find the one that fails.
                for (int i = 0; i < tuple.Length; i++)
                {
                    if (!Serializes<object?>(serializer, tuple[i]))
                    {
                        parameter = oneCall ? $"arg{i + 1}" : "iterable";
                        declared = typeof(TArgs).GetGenericArguments() is { Length: > 0 } parts && i < parts.Length ? parts[i].ToString() : declared;
                        actual = tuple[i]?.GetType().ToString();
                        break;
                    }
                }
            }
            else
            {
                actual = item?.GetType().ToString();
            }

            break;
        }

        string type = actual is null || actual == declared ? declared : $"a {actual}, declared as {declared}";
        string reason = error.GetBaseException().Message.TrimEnd().TrimEnd('.');
        return new ArgumentException(
            $"An argument of {functionName} ({type}) cannot be serialized to send to a worker process: {reason}. " +
            "Pass plain data (primitives, strings, arrays, collections, records, classes with public members) or use ThreadedPool.",
            parameter,
            error);
    }

    private static bool Serializes<T>(IPoolSerializer serializer, T value)
    {
        try
        {
            using var scratch = new PooledBufferWriter();
            serializer.Serialize(scratch, value);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }
}
