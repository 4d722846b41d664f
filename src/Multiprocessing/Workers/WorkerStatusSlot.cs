using System.IO.MemoryMappedFiles;

namespace Multiprocessing.Workers;

/// <summary>
/// A 16-byte file shared by the parent and one worker through memory mapping: the id of the chunk the
/// worker is running (0 when idle) and when it started (<see cref="Environment.TickCount64"/>, which is
/// system-wide). The worker writes it around every chunk, costing two stores; the parent reads it when the
/// worker dies, to blame exactly the chunk that was running even though finished results may still have
/// been sitting unsent in the worker's output buffer.
/// </summary>
internal sealed class WorkerStatusSlot : IDisposable
{
    private const int Size = 16;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;

    private WorkerStatusSlot(MemoryMappedFile file)
    {
        _file = file;
        _view = file.CreateViewAccessor(0, Size);
    }

    public static WorkerStatusSlot Create(string path)
    {
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            stream.SetLength(Size);
        }

        return Open(path);
    }

    public static WorkerStatusSlot Open(string path)
        => new(MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, Size, MemoryMappedFileAccess.ReadWrite));

    public long RunningChunk => _view.ReadInt64(0);

    public long StartedAt => _view.ReadInt64(8);

    public void Started(long chunkId)
    {
        _view.Write(8, Environment.TickCount64);
        _view.Write(0, chunkId);
    }

    /// <summary>Restamps the start time: a timeout applies to each task (item), not to a whole chunk.</summary>
    public void ItemStarted() => _view.Write(8, Environment.TickCount64);

    public void Finished() => _view.Write(0, 0L);

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }
}
