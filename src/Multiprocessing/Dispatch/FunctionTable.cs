using System.Collections.Concurrent;
using System.Reflection;
using Multiprocessing.Functions;
using Multiprocessing.Serialization;

namespace Multiprocessing.Dispatch;

/// <summary>
/// The functions an executor sends elsewhere (worker processes, silos): each delegate checked once for portability
/// and for serializable argument and result types, named by a descriptor and given a small integer id.
/// </summary>
internal sealed class FunctionTable(IPoolSerializer serializer)
{
    private readonly ConcurrentDictionary<(MethodInfo, Type, Type?), (int Id, FunctionDescriptor Descriptor)> _functions = new();
    private int _nextId;

    /// <summary>A fresh id from the same sequence (for functions named by a descriptor alone).</summary>
    public int NextId() => Interlocked.Increment(ref _nextId);

    /// <exception cref="ArgumentException">The delegate cannot run in another process, or its types cannot be serialized.</exception>
    public FunctionHandle<TArgs, TResult> Prepare<TArgs, TResult>(Delegate user, Func<TArgs, TResult> invoke, string parameterName)
    {
        var key = (user.Method, user.GetType(), user.Target?.GetType());
        if (!_functions.TryGetValue(key, out var entry))
        {
            var descriptor = FunctionDescriptor.Create(user, parameterName);
            foreach (var t in new[] { typeof(TArgs), typeof(TResult) })
            {
                try
                {
                    serializer.EnsureSupported(t);
                }
                catch (NotSupportedException ex)
                {
                    throw new ArgumentException($"{descriptor.DisplayName}: {ex.Message} Arguments and results must be serializable to cross to a worker process.", parameterName, ex);
                }
            }

            entry = _functions.GetOrAdd(key, _ => (NextId(), descriptor));
        }

        return new FunctionHandle<TArgs, TResult>(user, invoke, entry.Descriptor, entry.Id);
    }
}
