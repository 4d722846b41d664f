namespace Multiprocessing.Serialization;

/// <summary>
/// How deep the value being written on this thread nests. MessagePack writes by recursion and sets no limit when
/// writing: a reference cycle (<c>n.Next = n</c>) or a list nested ten thousand deep would overflow the stack,
/// which kills the process (the parent, for an argument). Past <see cref="MaxDepth"/> levels the write fails
/// instead, saying whether the value refers back to itself.
/// </summary>
internal static class SerializationDepth
{
    /// <summary>The most reference-type levels a value may nest when written: far beyond real data, far below a stack's reach.</summary>
    public const int MaxDepth = 500;

    /// <summary>
    /// The most MessagePack levels a reader accepts (MessagePackSecurity counts collections, objects and typeless
    /// values, which may be two levels per written level): a deeper stream fails its task, never a thread's stack.
    /// </summary>
    public const int MaxReadDepth = 2 * MaxDepth;

    [ThreadStatic]
    private static int t_depth;

    [ThreadStatic]
    private static object?[]? t_path;

    /// <summary>Enters one level for <paramref name="value"/>; returns the depth to hand back to <see cref="Leave"/>.</summary>
    public static int Enter<T>(T value)
    {
        int depth = t_depth;
        var path = t_path ??= new object?[MaxDepth];
        if (depth >= MaxDepth)
        {
            throw TooDeep(value, path);
        }

        path[depth] = value;
        t_depth = depth + 1;
        return depth;
    }

    public static void Leave(int depth)
    {
        t_path![depth] = null;
        t_depth = depth;
    }

    private static NotSupportedException TooDeep(object? value, object?[] path)
    {
        string type = value is null ? "null" : Display(value.GetType());

        // By reference: a record's Equals would recurse through the very cycle being reported.
        for (int i = path.Length - 1; i >= 0; i--)
        {
            if (value is not null && ReferenceEquals(path[i], value))
            {
                int length = path.Length - i;
                return new NotSupportedException(
                    $"a {type} refers back to itself through its members (a reference cycle through {length} object{(length == 1 ? string.Empty : "s")}), and values are sent as trees, so a cycle cannot be sent. " +
                    "Break the cycle before sending (send ids or indices in place of the back references)");
            }
        }

        return new NotSupportedException(
            $"the value nests more than {MaxDepth} levels deep (at a {type}), the most the pool sends, so that no process overflows its stack reading it. " +
            "Flatten it, or send it as bytes you serialize yourself");
    }

    /// <summary>A type as C# writes it (<c>List&lt;Object&gt;</c>, not <c>List`1[System.Object]</c>).</summary>
    private static string Display(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Display))}>"
        : type.Name;
}
