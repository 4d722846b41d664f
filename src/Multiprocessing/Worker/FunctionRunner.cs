using Multiprocessing.Functions;
using Multiprocessing.Protocol;
using Multiprocessing.Serialization;

namespace Multiprocessing.Worker;

/// <summary>A function the parent defined in this worker, ready to run a chunk's serialized items.</summary>
internal abstract class FunctionRunner
{
    /// <summary>The runner for <paramref name="function"/>, over the one internal shape <see cref="Invokers"/> gives it.</summary>
    public static FunctionRunner Create(Delegate function, IPoolSerializer serializer, int concurrency)
    {
        var (invoker, args, result) = Invokers.CreateDynamic(function);
        return (FunctionRunner)Activator.CreateInstance(typeof(TypedFunctionRunner<,>).MakeGenericType(args, result), invoker, function, serializer, concurrency)!;
    }

    /// <summary>
    /// Reads the items from <paramref name="payload"/>, runs them and appends the chunk's <c>Result</c> frame to
    /// <paramref name="output"/>; or, when the chunk as a whole fails, appends nothing and returns the error.
    /// </summary>
    /// <param name="payload">The serialized items (the chunk's blob section, if any, is installed around this call).</param>
    /// <param name="chunkId">The chunk, for the result's header.</param>
    /// <param name="beforeEachItem">Called before each item (the task timeout's stamp), or null.</param>
    /// <param name="output">Where the frame goes.</param>
    public abstract ChunkOutcome Run(ReadOnlyMemory<byte> payload, long chunkId, Action? beforeEachItem, PooledBufferWriter output);
}
