using Multiprocessing.Jobs;

namespace Multiprocessing.Dispatch;

/// <summary>
/// The unit of work sent to a worker: <see cref="Count"/> items of one job, starting at item
/// <see cref="Start"/> of that job. Executors subclass it with what they need to run or send it.
/// </summary>
internal abstract class Chunk
{
    protected Chunk(Job job, long start, int count)
    {
        Job = job;
        Start = start;
        Count = count;
    }

    public Job Job { get; }

    public long Start { get; }

    public int Count { get; }

    public void Fail(Exception error) => Job.FailChunk(Start, Count, error);
}
