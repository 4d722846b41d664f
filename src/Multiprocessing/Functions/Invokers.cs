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

    /// <summary>The asynchronous form of a one-argument task function returning Task or ValueTask, if it is one.</summary>
    public static Func<T1, Task<TResult>>? AsTaskFunction<T1, TResult>(Delegate d) => d switch
    {
        Func<T1, Task<TResult>> task => task,
        Func<T1, ValueTask<TResult>> valueTask => a => valueTask(a).AsTask(),
        _ => null,
    };

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

        string name = (isFunc ? "Func" : "Action") + parameters.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
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
