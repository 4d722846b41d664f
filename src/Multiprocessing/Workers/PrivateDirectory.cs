using System.Net.Sockets;

namespace Multiprocessing.Workers;

/// <summary>
/// The owner-only (0700) directories in the temp directory that hold a pool's or a manager's socket, and the
/// socket itself. Failures name the temp directory and TMPDIR, which is what a person has to change.
/// </summary>
internal static class PrivateDirectory
{
    /// <summary>The longest Unix domain socket path, in bytes (Linux's <c>sun_path</c> holds 108 with its terminating NUL).</summary>
    public const int MaxSocketPathBytes = 107;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="name"/> in the temp directory, owner-only.</summary>
    /// <exception cref="InvalidOperationException">It cannot be created; the message names the temp directory.</exception>
    public static string Create(string name, string purpose)
    {
        string temp = Path.GetTempPath();
        string directory = Path.Combine(temp, name);
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerOnly);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"Cannot create the directory for {purpose} in the temp directory '{temp}' ({TempSource()}): {ex.Message} " +
                "Set TMPDIR to an existing directory you can write to (for example /tmp).",
                ex);
        }

        return directory;
    }

    /// <summary>Binds and listens on a Unix domain socket at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">The path is too long for a socket, or the socket cannot be bound.</exception>
    public static Socket Listen(string path, string purpose)
    {
        int bytes = System.Text.Encoding.UTF8.GetByteCount(path);
        if (bytes > MaxSocketPathBytes)
        {
            throw new InvalidOperationException(
                $"The path of {purpose}, '{path}', is {bytes} bytes, over the {MaxSocketPathBytes}-byte limit of Unix domain socket paths, " +
                $"because the temp directory '{Path.GetTempPath()}' ({TempSource()}) is too deep. Set TMPDIR to a shorter path (for example /tmp).");
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            socket.Listen(128);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            socket.Dispose();
            throw new InvalidOperationException($"Cannot listen on {purpose} at '{path}' in the temp directory ({TempSource()}): {ex.Message}", ex);
        }
    }

    /// <summary>Deletes the directory and what is in it; best effort.</summary>
    public static void Delete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone already, or not ours to delete: the next pool's sweep retries once its owner is gone.
        }
    }

    private static string TempSource()
        => Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp ? $"TMPDIR={tmp}" : "TMPDIR is not set";
}
