namespace Multiprocessing.Worker;

/// <summary>Runs a function over a chunk's items, catching each item's exception on its own.</summary>
internal static class ChunkRunner
{
    public static TResult[] Run<TArgs, TResult>(Func<TArgs, TResult> invoke, TArgs[] items, out List<(int Offset, Exception Error)>? failures, Action? beforeEachItem = null)
    {
        failures = null;
        var results = new TResult[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            beforeEachItem?.Invoke();
            try
            {
                results[i] = invoke(items[i]);
            }
#pragma warning disable CA1031 // A task's exception is its result: it is reported, never rethrown here.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                (failures ??= []).Add((i, ex));
            }
        }

        return results;
    }

    /// <summary>
    /// Runs an async task function over a chunk with up to <paramref name="concurrency"/> of its tasks in
    /// flight at once (PoolOptions.MaxConcurrencyPerWorker), waiting for them on the calling thread.
    /// </summary>
    public static TResult[] RunConcurrently<TArgs, TResult>(Func<TArgs, Task<TResult>> invoke, TArgs[] items, int concurrency, out List<(int Offset, Exception Error)>? failures)
    {
        failures = null;
        var results = new TResult[items.Length];
        var running = new List<(int Index, Task<TResult> Task)>(Math.Min(concurrency, items.Length));
        for (int start = 0; start < items.Length; start += concurrency)
        {
            running.Clear();
            for (int i = start; i < Math.Min(items.Length, start + concurrency); i++)
            {
                try
                {
                    running.Add((i, invoke(items[i])));
                }
#pragma warning disable CA1031 // A task's exception is its result.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    (failures ??= []).Add((i, ex));
                }
            }

            foreach (var (index, task) in running)
            {
                try
                {
                    results[index] = task.GetAwaiter().GetResult();
                }
#pragma warning disable CA1031 // A task's exception is its result.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    (failures ??= []).Add((index, ex));
                }
            }
        }

        failures?.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        return results;
    }
}
