namespace Multiprocessing;

/// <summary>
/// A task function in the one shape every backend runs: a function of one argument set
/// <typeparamref name="TArgs"/> (no arguments travel as <see cref="bool"/>, one as itself, several as a value
/// tuple) returning <typeparamref name="TResult"/> (an Action returns <see langword="null"/>; an async function
/// the value its task completes with). It keeps the caller's own delegate beside the adapter, because a backend
/// that runs tasks in another process names the delegate's method there, and checks that it captures nothing,
/// rather than the adapter. The methods of <see cref="PoolExtensions"/> make these and pass them to the core of
/// <see cref="IPool"/>.
/// </summary>
/// <typeparam name="TArgs">The argument set of one task.</typeparam>
/// <typeparam name="TResult">The result of one task.</typeparam>
public sealed class PoolFunction<TArgs, TResult>
{
    internal PoolFunction(Delegate function, Func<TArgs, TResult> invoker)
    {
        Delegate = function;
        Invoker = invoker;
    }

    /// <summary>The delegate the caller passed (a <c>Func</c> or <c>Action</c> of 0 to 4 arguments).</summary>
    public Delegate Delegate { get; }

    /// <summary>The adapter from the argument set to the caller's delegate.</summary>
    internal Func<TArgs, TResult> Invoker { get; }

    /// <summary>Runs the task in this process (an async function is awaited on the calling thread).</summary>
    /// <param name="args">The task's argument set.</param>
    /// <returns>The task's result.</returns>
    public TResult Invoke(TArgs args) => Invoker(args);
}
