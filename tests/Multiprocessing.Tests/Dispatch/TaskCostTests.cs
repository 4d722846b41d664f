using Multiprocessing.Dispatch;

namespace Multiprocessing.Tests.Dispatch;

/// <summary>The cost model behind the automatic chunksize, without processes.</summary>
public sealed class TaskCostTests
{
    private static readonly long Millisecond = TimeSpan.FromMilliseconds(1).Ticks;

    [Fact]
    public void TicksPerTask_OnlyColdRuns_IsUnknown()
    {
        var cost = new TaskCost();
        cost.Add(1, 50 * Millisecond, cold: true);
        cost.Add(250, 80 * Millisecond, cold: true);
        Assert.Null(cost.TicksPerTask);
        Assert.NotNull(cost.Guess);
    }

    [Fact]
    public void TicksPerTask_FewCheapWarmTasks_IsUnknown()
    {
        var cost = new TaskCost();
        cost.Add(1, 20, cold: false); // a warm one-item Apply of an identity: 2 microseconds, mostly the chunk's own costs
        cost.Add(1, 20, cold: false);
        Assert.Null(cost.TicksPerTask);
    }

    [Fact]
    public void TicksPerTask_ManyWarmTasks_IsTheirWeightedMean()
    {
        var cost = new TaskCost();
        cost.Add(1, 1_000, cold: false);
        cost.Add(99, 990, cold: false);
        Assert.Equal(19.9, cost.TicksPerTask!.Value, 6);
    }

    [Fact]
    public void TicksPerTask_OneExpensiveWarmTask_IsKnown()
    {
        var cost = new TaskCost();
        cost.Add(1, 5 * Millisecond, cold: false);
        Assert.Equal(5 * Millisecond, cost.TicksPerTask);
    }

    [Fact]
    public void TicksPerTask_ColdRunBesideWarmOnes_IsIgnored()
    {
        var cost = new TaskCost();
        cost.Add(1, 40 * Millisecond, cold: true);
        cost.Add(1000, 1000, cold: false);
        Assert.Equal(1.0, cost.TicksPerTask);
    }

    [Fact]
    public void TicksPerTask_CostDrifts_FollowsTheRecentRuns()
    {
        var cost = new TaskCost();
        for (int i = 0; i < 100; i++)
        {
            cost.Add(100, 100 * Millisecond, cold: false); // 1 ms a task
        }

        for (int i = 0; i < 100; i++)
        {
            cost.Add(100, 10 * Millisecond, cold: false); // then 0.1 ms a task
        }

        Assert.InRange(cost.TicksPerTask!.Value, 0.1 * Millisecond, 0.2 * Millisecond);
    }
}
