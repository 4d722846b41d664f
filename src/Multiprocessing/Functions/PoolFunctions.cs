namespace Multiprocessing.Functions;

/// <summary>
/// Makes a <see cref="PoolFunction{TArgs, TResult}"/> from the caller's delegate, in the shapes the worker rebuilds
/// from the delegate's type (<see cref="Invokers.CreateDynamic"/>): the two ends must agree on them.
/// </summary>
internal static class PoolFunctions
{
    public static PoolFunction<bool, TResult> Of<TResult>(Func<TResult> func) => new(NotNull(func), Invokers.Func0(func));

    public static PoolFunction<T1, TResult> Of<T1, TResult>(Func<T1, TResult> func) => new(NotNull(func), func);

    public static PoolFunction<(T1, T2), TResult> Of<T1, T2, TResult>(Func<T1, T2, TResult> func) => new(NotNull(func), Invokers.Func2(func));

    public static PoolFunction<(T1, T2, T3), TResult> Of<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> func) => new(NotNull(func), Invokers.Func3(func));

    public static PoolFunction<(T1, T2, T3, T4), TResult> Of<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, TResult> func) => new(NotNull(func), Invokers.Func4(func));

    public static PoolFunction<bool, object?> Of(Action func) => new(NotNull(func), Invokers.Action0(func));

    public static PoolFunction<T1, object?> Of<T1>(Action<T1> func) => new(NotNull(func), Invokers.Action1(func));

    public static PoolFunction<(T1, T2), object?> Of<T1, T2>(Action<T1, T2> func) => new(NotNull(func), Invokers.Action2(func));

    public static PoolFunction<(T1, T2, T3), object?> Of<T1, T2, T3>(Action<T1, T2, T3> func) => new(NotNull(func), Invokers.Action3(func));

    public static PoolFunction<(T1, T2, T3, T4), object?> Of<T1, T2, T3, T4>(Action<T1, T2, T3, T4> func) => new(NotNull(func), Invokers.Action4(func));

    public static PoolFunction<bool, TResult> OfTask<TResult>(Func<Task<TResult>> func) => new(NotNull(func), Invokers.Awaited(Invokers.Task0(func)));

    public static PoolFunction<T1, TResult> OfTask<T1, TResult>(Func<T1, Task<TResult>> func) => new(NotNull(func), Invokers.FuncTask1(func));

    public static PoolFunction<(T1, T2), TResult> OfTask<T1, T2, TResult>(Func<T1, T2, Task<TResult>> func) => new(NotNull(func), Invokers.Awaited(Invokers.Task2(func)));

    public static PoolFunction<(T1, T2, T3), TResult> OfTask<T1, T2, T3, TResult>(Func<T1, T2, T3, Task<TResult>> func) => new(NotNull(func), Invokers.Awaited(Invokers.Task3(func)));

    public static PoolFunction<(T1, T2, T3, T4), TResult> OfTask<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, Task<TResult>> func) => new(NotNull(func), Invokers.Awaited(Invokers.Task4(func)));

    public static PoolFunction<bool, TResult> OfValueTask<TResult>(Func<ValueTask<TResult>> func) => new(NotNull(func), Invokers.Awaited(Invokers.ValueTask0(func)));

    public static PoolFunction<T1, TResult> OfValueTask<T1, TResult>(Func<T1, ValueTask<TResult>> func) => new(NotNull(func), Invokers.FuncValueTask1(func));

    public static PoolFunction<(T1, T2), TResult> OfValueTask<T1, T2, TResult>(Func<T1, T2, ValueTask<TResult>> func) => new(NotNull(func), Invokers.Awaited(Invokers.ValueTask2(func)));

    public static PoolFunction<(T1, T2, T3), TResult> OfValueTask<T1, T2, T3, TResult>(Func<T1, T2, T3, ValueTask<TResult>> func) => new(NotNull(func), Invokers.Awaited(Invokers.ValueTask3(func)));

    public static PoolFunction<(T1, T2, T3, T4), TResult> OfValueTask<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, ValueTask<TResult>> func) => new(NotNull(func), Invokers.Awaited(Invokers.ValueTask4(func)));

    /// <summary>The caller's parameter is named <c>func</c> on every issuing method, and so is the exception's.</summary>
    private static T NotNull<T>(T func)
        where T : Delegate
    {
        ArgumentNullException.ThrowIfNull(func);
        return func;
    }
}
