namespace Multiprocessing.Tests.Support;

/// <summary>Direct children of a process, read from /proc (Linux).</summary>
public static class ChildProcesses
{
    public static List<int> Of(int parent)
    {
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));

                // The fields after the command name (which may hold spaces) start after the last ')'.
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == parent)
                {
                    result.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }

        return result;
    }
}
