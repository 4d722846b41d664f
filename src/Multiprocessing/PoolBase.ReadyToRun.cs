using Multiprocessing.Jobs;
using Multiprocessing.Serialization;
using Multiprocessing.Worker;
using Multiprocessing.Workers;

namespace Multiprocessing;

/// <content>The generic instantiations ReadyToRun compiles ahead of time.</content>
public abstract partial class PoolBase
{
    /// <summary>
    /// Never called. ReadyToRun compiles only the generic instantiations this assembly's own code names, and a user's
    /// <c>Map(int → int)</c> names them in the user's assembly, which is not precompiled: a fresh process would run the
    /// pool's whole path (issue, serialize, deliver; in the worker, run) as tier-0 code just compiled for that call.
    /// Naming them here gives the common element types precompiled code in both processes; the interface and virtual
    /// calls on the way (the executor's, the serializer's) are named directly, as ReadyToRun cannot follow them.
    /// Reference types share one compiled body, so <see cref="string"/> stands for all of them.
    /// </summary>
    private static void ReadyToRunRoots()
    {
        _ = new BlittableArrayFormatter<int>();
        _ = new BlittableArrayFormatter<long>();
        _ = new BlittableArrayFormatter<double>();
        Roots<int, int>();
        Roots<long, long>();
        Roots<double, double>();
        Roots<string, string>();
        Roots<int, string>();
        Roots<string, int>();
        Roots<long, string>();
        Roots<string, long>();
        Roots<int, long>();
        Roots<long, int>();
        Roots<int, double>();
        Roots<double, int>();
    }

    /// <summary>The executor's <c>Prepare</c>, called directly on a process pool's (see <see cref="ProcessExecutor.PrepareDirect"/>).</summary>
    private Dispatch.FunctionHandle<TArgs, TResult> PrepareFunction<TArgs, TResult>(Delegate func, Func<TArgs, TResult> invoke, string parameterName)
        => _executor is ProcessExecutor process ? process.PrepareDirect(func, invoke, parameterName) : _executor.Prepare(func, invoke, parameterName);

    /// <summary>The executor's <c>CreateChunk</c>, called directly on a process pool's.</summary>
    private Dispatch.Chunk NewChunk<TArgs, TResult>(Dispatch.FunctionHandle<TArgs, TResult> function, TArgs[] items, Job<TResult> job, long start, bool oneCall = false)
        => _executor is ProcessExecutor process ? process.CreateChunkDirect(function, items, job, start, oneCall) : _executor.CreateChunk(function, items, job, start, oneCall);

    private static void Roots<TArgs, TResult>()
    {
        PoolBase pool = null!;
        ProcessExecutor executor = null!;
        MessagePackPoolSerializer serializer = null!;
        _ = pool.One<TArgs, TResult>(null!, null!, default!, null, null, default);
        _ = pool.Many<TArgs, TResult>(null!, null!, null!, null, null, null, null, default);
        _ = pool.Stream<TArgs, TResult>(null!, null!, null!, null, true, null, default);
        var function = executor.PrepareDirect<TArgs, TResult>(null!, null!, null!);
        _ = executor.CreateChunkDirect<TArgs, TResult>(function, null!, null!, 0);
        _ = new ListJob<TResult, TResult>(1, null!, null!);
        _ = new ListJob<TResult, IReadOnlyList<TResult>>(1, null!, null!);
        serializer.Serialize<TArgs[]>(null!, null!);
        serializer.Serialize<TResult[]>(null!, null!);
        _ = serializer.Deserialize<TArgs[]>(default);
        _ = serializer.Deserialize<TResult[]>(default);
        _ = new TypedFunctionRunner<TArgs, TResult>(null!, null!, null!, 1);

        // The public entry points a user's call goes through first (generic static methods, so precompilable).
        IPool ipool = null!;
        Func<TArgs, TResult> func = null!;
        _ = ipool.Apply(func, default!);
        _ = ipool.ApplyAsync(func, default!);
        _ = ipool.Map(func, null!);
        _ = ipool.MapAsync(func, null!);
        _ = ipool.Imap(func, null!);
        _ = ipool.ImapUnordered(func, null!);
        _ = Functions.PoolFunctions.Of<TArgs, TResult>(null!);
        _ = Functions.Invokers.Func1<TArgs, TResult>(null!);
    }
}
