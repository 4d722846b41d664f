using Multiprocessing.Functions;

namespace Multiprocessing;

/// <content>Apply: run one task of 0 to 4 arguments and wait for it (Python's <c>apply()</c>).</content>
public static partial class PoolExtensions
{
    /// <summary>Runs <paramref name="func"/> in a worker and waits for its result: Python's <c>apply()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/result/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<TResult>(this IPool pool, Func<TResult> func, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with one argument in a worker and waits for its result: Python's <c>apply()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types1/*|docs/args1/*|docs/result/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, TResult>(this IPool pool, Func<T1, TResult> func, T1 arg1, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with two arguments in a worker and waits for its result: Python's <c>apply()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types2/*|docs/args2/*|docs/result/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, T2, TResult>(this IPool pool, Func<T1, T2, TResult> func, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with three arguments in a worker and waits for its result: Python's <c>apply()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types3/*|docs/args3/*|docs/result/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, TResult> func, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, arg3, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with four arguments in a worker and waits for its result: Python's <c>apply()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types4/*|docs/args4/*|docs/result/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, T2, T3, T4, TResult>(this IPool pool, Func<T1, T2, T3, T4, TResult> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, arg3, arg4, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> in a worker and waits for it to finish.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/token/*|docs/issue/*|docs/waits/*'/>
    public static void Apply(this IPool pool, Action func, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        pool.ApplyAsync(func, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with one argument in a worker and waits for it to finish.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types1/*|docs/args1/*|docs/token/*|docs/issue/*|docs/waits/*'/>
    public static void Apply<T1>(this IPool pool, Action<T1> func, T1 arg1, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        pool.ApplyAsync(func, arg1, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with two arguments in a worker and waits for it to finish.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types2/*|docs/args2/*|docs/token/*|docs/issue/*|docs/waits/*'/>
    public static void Apply<T1, T2>(this IPool pool, Action<T1, T2> func, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        pool.ApplyAsync(func, arg1, arg2, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with three arguments in a worker and waits for it to finish.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types3/*|docs/args3/*|docs/token/*|docs/issue/*|docs/waits/*'/>
    public static void Apply<T1, T2, T3>(this IPool pool, Action<T1, T2, T3> func, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        pool.ApplyAsync(func, arg1, arg2, arg3, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with four arguments in a worker and waits for it to finish.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types4/*|docs/args4/*|docs/token/*|docs/issue/*|docs/waits/*'/>
    public static void Apply<T1, T2, T3, T4>(this IPool pool, Action<T1, T2, T3, T4> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        pool.ApplyAsync(func, arg1, arg2, arg3, arg4, cancellationToken: cancellationToken).Get();
    }
}
