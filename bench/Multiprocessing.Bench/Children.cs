using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;

namespace Multiprocessing.Bench;

/// <summary>
/// Child processes of the benchmark itself: every workload variant (a fresh process, as a user's program),
/// and the raw IPC floors for W6 (1-byte ping-pong over an anonymous pipe and over a Unix domain socket, the
/// transport the library uses), W7 (a bulk echo) and W8 (a bare child's start).
/// </summary>
internal static class Children
{
    public const string PingPongFlag = "--pingpong-child";
    public const string VariantFlag = "--child";

    // A figure that could not be measured is NaN, which plain JSON has no number for.
    private static readonly JsonSerializerOptions s_json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Starts this program again with <paramref name="args"/>.</summary>
    public static ProcessStartInfo Self(params string[] args)
    {
        string path = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this program's executable.");
        var info = new ProcessStartInfo(path) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(Children).Assembly.Location);
        }

        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    /// <summary>The child's side of the ping-pong: echo every byte until the input ends.</summary>
    public static int RunPingPongChild(string[] args)
    {
        byte[] b = new byte[1];
        if (args.Length >= 3 && args[1] == "bulk")
        {
            // Store and forward: read a length-prefixed message whole, then send it back whole.
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(args[2]));
            byte[] header = new byte[8];
            byte[] buffer = [];
            while (ReceiveExactly(socket, header))
            {
                int length = (int)BitConverter.ToInt64(header);
                if (buffer.Length < length)
                {
                    buffer = new byte[length];
                }

                if (!ReceiveExactly(socket, buffer.AsSpan(0, length)))
                {
                    break;
                }

                SendAll(socket, buffer.AsSpan(0, length));
            }

            return 0;
        }

        if (args.Length >= 3 && args[1] == "socket")
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(args[2]));
            while (socket.Receive(b) == 1)
            {
                socket.Send(b);
            }

            return 0;
        }

        using var input = Console.OpenStandardInput();
        using var output = Console.OpenStandardOutput();
        while (input.Read(b, 0, 1) == 1)
        {
            output.Write(b, 0, 1);
            output.Flush();
        }

        return 0;
    }

    /// <summary>Times <paramref name="n"/> 1-byte round trips to a child over an anonymous pipe pair; microseconds.</summary>
    public static double[] PingPongPipe(int n, int warmup)
    {
        var info = Self(PingPongFlag, "pipe");
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        using var child = Process.Start(info) ?? throw new InvalidOperationException("The ping-pong child did not start.");
        try
        {
            Stream toChild = child.StandardInput.BaseStream;
            Stream fromChild = child.StandardOutput.BaseStream;
            byte[] b = [42];
            var samples = new double[n];
            for (int i = 0; i < warmup + n; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                toChild.Write(b, 0, 1);
                toChild.Flush();
                fromChild.ReadExactly(b, 0, 1);
                if (i >= warmup)
                {
                    samples[i - warmup] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                }
            }

            child.StandardInput.Close();
            child.WaitForExit(5000);
            return samples;
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    /// <summary>Times <paramref name="n"/> 1-byte round trips to a child over a Unix domain socket; microseconds.</summary>
    public static double[] PingPongSocket(int n, int warmup) => WithChild("socket", socket =>
    {
        byte[] b = [42];
        var samples = new double[n];
        for (int i = 0; i < warmup + n; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            socket.Send(b);
            if (socket.Receive(b) != 1)
            {
                throw new IOException("The ping-pong child went away.");
            }

            if (i >= warmup)
            {
                samples[i - warmup] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }
        }

        return samples;
    });

    private static T WithChild<T>(string mode, Func<Socket, T> body)
    {
        string dir = Path.Combine(Path.GetTempPath(), "mpbench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "s");
        try
        {
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            using var child = Process.Start(Self(PingPongFlag, mode, path)) ?? throw new InvalidOperationException("The child did not start.");
            try
            {
                T result;
                using (var socket = listener.Accept())
                {
                    result = body(socket);
                    socket.Shutdown(SocketShutdown.Both);
                }

                child.WaitForExit(5000);
                return result;
            }
            finally
            {
                if (!child.HasExited)
                {
                    child.Kill();
                }
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Temp clutter only.
            }
        }
    }

    private static bool ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int n = socket.Receive(buffer[got..]);
            if (n == 0)
            {
                return false;
            }

            got += n;
        }

        return true;
    }

    private static void SendAll(Socket socket, ReadOnlySpan<byte> data)
    {
        int sent = 0;
        while (sent < data.Length)
        {
            sent += socket.Send(data[sent..]);
        }
    }

    /// <summary>
    /// The transport floor for W7: <paramref name="data"/> sent to a child over a Unix domain socket, read
    /// there whole, and sent back whole (store and forward, as a worker does), <paramref name="reps"/> times.
    /// Buffers are allocated once and reused, so this is the kernel copies and nothing else. Seconds per round trip.
    /// </summary>
    public static double[] BulkEcho(byte[] data, int reps)
    {
        return WithChild("bulk", socket =>
        {
            byte[] back = new byte[data.Length];
            byte[] header = BitConverter.GetBytes((long)data.Length);
            SendAll(socket, header);
            SendAll(socket, data);
            ReceiveExactly(socket, back);
            var samples = new double[reps];
            for (int i = 0; i < reps; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                SendAll(socket, header);
                SendAll(socket, data);
                ReceiveExactly(socket, back);
                samples[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            }

            if (!back.AsSpan().SequenceEqual(data))
            {
                throw new InvalidOperationException("The echo came back changed.");
            }

            return samples;
        });
    }

    /// <summary>
    /// The start-up floor for W8: seconds from starting this program as a child (a bare .NET process) to its
    /// first 1-byte answer over a Unix domain socket.
    /// </summary>
    public static double ChildStartToFirstByte()
    {
        long t0 = Stopwatch.GetTimestamp();
        double seconds = 0;
        WithChild("socket", socket =>
        {
            byte[] b = [1];
            socket.Send(b);
            if (socket.Receive(b) != 1)
            {
                throw new IOException("The child went away.");
            }

            seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            return seconds;
        });
        return seconds;
    }

    /// <summary>
    /// One workload variant in this fresh process: <c>--child ID COLUMN QUICK PROCESSES WORKDIR REPO [STATE]</c>.
    /// Prints the figures as one JSON line; the first call made here is what a user's program meets.
    /// </summary>
    public static int RunVariantChild(string[] args)
    {
        string id = args[1];
        string column = args[2];
        var s = new Settings(args[3] == "quick", int.Parse(args[4], CultureInfo.InvariantCulture), 1, TimeSpan.FromHours(1), TimeSpan.FromHours(1), null, args[5], args[6]);
        Workload w = Workloads.All().Single(x => x.Id == id);
        w.PrepareChild(s, args.Length > 7 ? args[7] : null);
        var run = w.Variants(s).Single(v => v.Column == column).Run;
        var (figures, failure) = Guard.Run(s.CallTimeout, run);
        if (failure is not null)
        {
            Console.Error.WriteLine(failure);
            return 1;
        }

        Console.Out.Flush();
        Console.WriteLine(JsonSerializer.Serialize<Dictionary<string, double>>(figures!, s_json));
        return 0;
    }

    /// <summary>Runs one variant of <paramref name="w"/> in a fresh child process of this program and reads its figures.</summary>
    public static Figures Variant(Workload w, string column, Settings s)
    {
        var info = Self([VariantFlag, w.Id, column, s.Quick ? "quick" : "full", s.Processes.ToString(CultureInfo.InvariantCulture), s.WorkDirectory, s.RepoRoot, .. w.State is { } state ? new[] { state } : []]);
        var (exitCode, stdout, stderr) = BoundedRun.Run(info, s.CallTimeout, $"The {w.Id} child");
        string? line = stdout.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (exitCode != 0 || line is null)
        {
            string why = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? $"exit {exitCode}";
            throw new InvalidOperationException(why.StartsWith("FAILED", StringComparison.Ordinal) || why.StartsWith("TIMEOUT", StringComparison.Ordinal) ? why : "FAILED: " + why);
        }

        var figures = new Figures();
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, double>>(line, s_json)!)
        {
            figures[key] = value;
        }

        return figures;
    }
}
