namespace Multiprocessing.Dispatch;

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
}
