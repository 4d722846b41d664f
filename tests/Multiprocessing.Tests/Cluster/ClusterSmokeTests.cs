using Multiprocessing.Orleans;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ClusterSmokeTests(ClusterFixture cluster)
{
    [Fact]
    public void Map_OnThreeSilos_ReturnsOrderedResults()
    {
        using var pool = new ClusterPool(cluster.Client);
        var results = pool.Map(Tasks.Square, Enumerable.Range(0, 1000));
        Assert.Equal(Enumerable.Range(0, 1000).Select(x => x * x), results);
    }
}
