using Multiprocessing.Functions;

namespace Multiprocessing.Dispatch;

/// <summary>A user delegate made ready for an executor: its in-process adapter and, for processes, its wire name.</summary>
internal sealed class FunctionHandle<TArgs, TResult>(Delegate user, Func<TArgs, TResult> invoke, FunctionDescriptor? descriptor, int id)
{
    public Delegate User { get; } = user;

    public Func<TArgs, TResult> Invoke { get; } = invoke;

    public FunctionDescriptor? Descriptor { get; } = descriptor;

    public int Id { get; } = id;
}
