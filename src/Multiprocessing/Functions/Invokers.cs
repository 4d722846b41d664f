namespace Multiprocessing.Functions;

/// <summary>
/// Adapters from the user's delegate (any of Func/Action with 0 to 4 parameters) to the one internal
/// shape <c>Func&lt;TArgs, TResult&gt;</c>: no arguments travel as <see cref="bool"/>, one as itself,
/// several as a value tuple; an Action returns <see langword="null"/> as <see cref="object"/>. The same
/// adapters serve <see cref="ThreadedPool"/> in this process and the workers of <see cref="Pool"/>.
/// </summary>
internal static class Invokers
{
    public static Func<bool, TResult> Func0<TResult>(Func<TResult> f) => _ => f();

    public static Func<T1, TResult> Func1<T1, TResult>(Func<T1, TResult> f) => f;

    public static Func<(T1, T2), TResult> Func2<T1, T2, TResult>(Func<T1, T2, TResult> f) => a => f(a.Item1, a.Item2);

    public static Func<(T1, T2, T3), TResult> Func3<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> f) => a => f(a.Item1, a.Item2, a.Item3);

    public static Func<(T1, T2, T3, T4), TResult> Func4<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, TResult> f) => a => f(a.Item1, a.Item2, a.Item3, a.Item4);

    public static Func<bool, object?> Action0(Action f) => _ =>
    {
        f();
        return null;
    };

    public static Func<T1, object?> Action1<T1>(Action<T1> f) => a =>
    {
        f(a);
        return null;
    };

    public static Func<(T1, T2), object?> Action2<T1, T2>(Action<T1, T2> f) => a =>
    {
        f(a.Item1, a.Item2);
        return null;
    };

    public static Func<(T1, T2, T3), object?> Action3<T1, T2, T3>(Action<T1, T2, T3> f) => a =>
    {
        f(a.Item1, a.Item2, a.Item3);
        return null;
    };

    public static Func<(T1, T2, T3, T4), object?> Action4<T1, T2, T3, T4>(Action<T1, T2, T3, T4> f) => a =>
    {
        f(a.Item1, a.Item2, a.Item3, a.Item4);
        return null;
    };

    /// <summary>An async task function, awaited synchronously on the worker's thread (no synchronization context there).</summary>
    public static Func<T1, TResult> FuncTask1<T1, TResult>(Func<T1, Task<TResult>> f) => a => f(a).GetAwaiter().GetResult();

    /// <summary>As <see cref="FuncTask1{T1, TResult}"/>, for a ValueTask.</summary>
    public static Func<T1, TResult> FuncValueTask1<T1, TResult>(Func<T1, ValueTask<TResult>> f) => a => f(a).AsTask().GetAwaiter().GetResult();

    /// <summary>The asynchronous form of a task function returning Task or ValueTask (0 to 4 arguments), if it is one.</summary>
    public static Func<TArgs, Task<TResult>>? AsTaskFunction<TArgs, TResult>(Delegate d) => d switch
    {
        Func<TArgs, Task<TResult>> task => task,
        Func<TArgs, ValueTask<TResult>> valueTask => a => valueTask(a).AsTask(),
        _ => AsyncAdapter(d) is { Adapter: Func<TArgs, Task<TResult>> adapter } ? adapter : null,
    };

    /// <summary>A task function of 0 or 2 to 4 arguments, awaited synchronously (as <see cref="FuncTask1{T1, TResult}"/>).</summary>
    public static Func<TArgs, TResult> Awaited<TArgs, TResult>(Func<TArgs, Task<TResult>> f) => a => f(a).GetAwaiter().GetResult();

    public static Func<bool, Task<TResult>> Task0<TResult>(Func<Task<TResult>> f) => _ => f();

    public static Func<(T1, T2), Task<TResult>> Task2<T1, T2, TResult>(Func<T1, T2, Task<TResult>> f) => a => f(a.Item1, a.Item2);

    public static Func<(T1, T2, T3), Task<TResult>> Task3<T1, T2, T3, TResult>(Func<T1, T2, T3, Task<TResult>> f) => a => f(a.Item1, a.Item2, a.Item3);

    public static Func<(T1, T2, T3, T4), Task<TResult>> Task4<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, Task<TResult>> f) => a => f(a.Item1, a.Item2, a.Item3, a.Item4);

    public static Func<bool, Task<TResult>> ValueTask0<TResult>(Func<ValueTask<TResult>> f) => _ => f().AsTask();

    public static Func<(T1, T2), Task<TResult>> ValueTask2<T1, T2, TResult>(Func<T1, T2, ValueTask<TResult>> f) => a => f(a.Item1, a.Item2).AsTask();

    public static Func<(T1, T2, T3), Task<TResult>> ValueTask3<T1, T2, T3, TResult>(Func<T1, T2, T3, ValueTask<TResult>> f) => a => f(a.Item1, a.Item2, a.Item3).AsTask();

    public static Func<(T1, T2, T3, T4), Task<TResult>> ValueTask4<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, ValueTask<TResult>> f) => a => f(a.Item1, a.Item2, a.Item3, a.Item4).AsTask();

    /// <summary>
    /// For a Func of 0 or 2 to 4 parameters returning Task or ValueTask: its asynchronous adapter to the internal
    /// shape (<c>Func&lt;TArgs, Task&lt;TResult&gt;&gt;</c>) and the types of its argument set and produced result.
    /// </summary>
    private static (Delegate Adapter, Type Args, Type Result)? AsyncAdapter(Delegate d)
    {
        Type type = d.GetType();
        if (!type.IsGenericType || !type.GetGenericTypeDefinition().FullName!.StartsWith("System.Func`", StringComparison.Ordinal))
        {
            return null;
        }

        Type[] generic = type.GetGenericArguments();
        Type[] parameters = generic[..^1];
        Type returned = generic[^1];
        if (parameters.Length == 1 || !returned.IsGenericType)
        {
            return null;
        }

        string? kind = returned.GetGenericTypeDefinition() == typeof(Task<>) ? "Task" : returned.GetGenericTypeDefinition() == typeof(ValueTask<>) ? "ValueTask" : null;
        if (kind is null)
        {
            return null;
        }

        Type produced = returned.GetGenericArguments()[0];
        var factory = typeof(Invokers).GetMethod(kind + Count(parameters.Length))
            ?? throw new NotSupportedException($"Delegates with {parameters.Length} parameters are not supported.");
        var adapter = (Delegate)factory.MakeGenericMethod([.. parameters, produced]).Invoke(null, [d])!;
        return (adapter, ArgsType(parameters), produced);
    }

    /// <summary>
    /// A parameter count as digits without touching CultureInfo, whose first use loads ICU: milliseconds of a cold
    /// worker's first Define, for a name that needs none.
    /// </summary>
    private static string Count(int n) => n is >= 0 and < 10 ? ((char)('0' + n)).ToString() : n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Builds the adapter for a delegate whose type is only known at run time (in a worker). Returns the
    /// adapter and the types of its argument and result.
    /// </summary>
    public static (Delegate Invoker, Type Args, Type Result) CreateDynamic(Delegate d)
    {
        Type type = d.GetType();
        Type[] generic = type.IsGenericType ? type.GetGenericArguments() : [];
        Type definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        bool isAction = definition == typeof(Action) || definition.FullName!.StartsWith("System.Action`", StringComparison.Ordinal);
        bool isFunc = definition.FullName!.StartsWith("System.Func`", StringComparison.Ordinal);
        if (!isAction && !isFunc)
        {
            throw new NotSupportedException($"Delegate type {type} is not a Func or Action.");
        }

        Type[] parameters = isFunc ? generic[..^1] : generic;
        Type result = isFunc ? generic[^1] : typeof(object);
        if (isFunc && parameters.Length == 1 && result.IsGenericType
            && (result.GetGenericTypeDefinition() == typeof(Task<>) || result.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            // An async task function: the result that travels is what the task produces.
            Type produced = result.GetGenericArguments()[0];
            string adapter = result.GetGenericTypeDefinition() == typeof(Task<>) ? nameof(FuncTask1) : nameof(FuncValueTask1);
            var asyncInvoker = (Delegate)typeof(Invokers).GetMethod(adapter)!.MakeGenericMethod(parameters[0], produced).Invoke(null, [d])!;
            return (asyncInvoker, parameters[0], produced);
        }

        if (isFunc && AsyncAdapter(d) is { } multi)
        {
            // The same for 0 or 2 to 4 arguments: awaited on the worker's thread, the produced value travels.
            var awaited = (Delegate)typeof(Invokers).GetMethod(nameof(Awaited))!.MakeGenericMethod(multi.Args, multi.Result).Invoke(null, [multi.Adapter])!;
            return (awaited, multi.Args, multi.Result);
        }

        string name = (isFunc ? "Func" : "Action") + Count(parameters.Length);
        var factory = typeof(Invokers).GetMethod(name) ?? throw new NotSupportedException($"Delegates with {parameters.Length} parameters are not supported.");
        if (factory.IsGenericMethodDefinition)
        {
            factory = factory.MakeGenericMethod(generic);
        }

        var invoker = (Delegate)factory.Invoke(null, [d])!;
        return (invoker, ArgsType(parameters), result);
    }

    /// <summary>The argument shape for a list of parameter types.</summary>
    public static Type ArgsType(Type[] parameters) => parameters.Length switch
    {
        0 => typeof(bool),
        1 => parameters[0],
        2 => typeof(ValueTuple<,>).MakeGenericType(parameters),
        3 => typeof(ValueTuple<,,>).MakeGenericType(parameters),
        4 => typeof(ValueTuple<,,,>).MakeGenericType(parameters),
        _ => throw new NotSupportedException($"Delegates with {parameters.Length} parameters are not supported."),
    };
}
