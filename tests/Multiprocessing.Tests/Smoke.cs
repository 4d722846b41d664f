namespace Multiprocessing.Tests;

public class Smoke
{
    public static int Square(int x) => x * x;

    [Fact]
    public void Pool_Map_Works()
    {
        using var pool = new Pool(2);
        var r = pool.Map(Square, Enumerable.Range(0, 10));
        Assert.Equal(Enumerable.Range(0, 10).Select(x => x * x), r);
        Assert.Equal(49, pool.Apply(Square, 7));
        Assert.Equal(3, pool.Apply(static (int a, int b) => a + b, 1, 2));
    }
}
