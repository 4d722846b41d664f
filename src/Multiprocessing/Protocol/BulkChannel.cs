namespace Multiprocessing.Protocol;

/// <summary>
/// Both shared-memory rings of one parent–worker connection: the files are <c>{base}.p{n}</c> (parent → worker)
/// and <c>{base}.w{n}</c> (worker → parent), where the base is a random name in <c>/dev/shm</c> chosen by the
/// parent. Each side creates the files it sends through; the receiver removes a name once it has mapped it, and
/// the parent removes whatever is left when the worker is gone.
/// </summary>
internal sealed class BulkChannel : IDisposable
{
    private const string Directory = "/dev/shm";

    private readonly string _basePath;
    private readonly bool _isParent;

    public BulkChannel(string basePath, bool isParent)
    {
        _basePath = basePath;
        _isParent = isParent;
        Sender = new BulkSender(basePath + (isParent ? ".p" : ".w"));
        Receiver = new BulkReceiver(basePath + (isParent ? ".w" : ".p"));
    }

    public BulkSender Sender { get; }

    public BulkReceiver Receiver { get; }

    /// <summary>Set to 1 to send everything through the socket (no shared memory).</summary>
    public const string DisableVariable = "MULTIPROCESSING_NO_SHARED_MEMORY";

    /// <summary>A fresh base name for a worker's rings, or null where there is no shared memory to use.</summary>
    public static string? NewBasePath(int workerIndex)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(DisableVariable) == "1" || !System.IO.Directory.Exists(Directory))
        {
            return null;
        }

        // The owner's pid and start time lead the name, so a later pool sweeps it if this process is killed.
        return Path.Combine(Directory, Workers.OwnedNames.New(Workers.OwnedNames.RingPrefix, 12) + "-" + workerIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Removes the names of the rings this side created: a worker whose parent died calls it before it ends,
    /// since nobody else would (a large result in flight holds up to a gigabyte of memory until reboot).
    /// </summary>
    public void DeleteOwnFiles() => DeleteMatching(Path.GetFileName(OwnFilePrefix) + "*");

    /// <summary>The path of this side's ring files, less the generation number.</summary>
    public string OwnFilePrefix => _basePath + (_isParent ? ".p" : ".w");

    public void Dispose()
    {
        Sender.Dispose();
        Receiver.Dispose();
        if (_isParent)
        {
            // Names the worker created and never saw mapped, or ours it never opened.
            DeleteMatching(Path.GetFileName(_basePath) + ".*");
        }
    }

    private static void DeleteMatching(string pattern)
    {
        try
        {
            foreach (string path in System.IO.Directory.EnumerateFiles(Directory, pattern))
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the directory is gone or not ours.
        }
    }
}
