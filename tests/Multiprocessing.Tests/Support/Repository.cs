namespace Multiprocessing.Tests.Support;

/// <summary>The clone the tests run from: the folder above the test assembly that holds Multiprocessing.slnx.</summary>
public static class Repository
{
    private static readonly Lazy<string> s_root = new(Find);

    public static string Root => s_root.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Multiprocessing.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder holding Multiprocessing.slnx above {AppContext.BaseDirectory}.");
    }
}
