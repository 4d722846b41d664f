using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;
using Multiprocessing.Workers;

namespace Multiprocessing.Worker;

/// <summary>Connecting, the Hello/Init handshake and the pool's initializer.</summary>
internal sealed partial class WorkerSession
{
    /// <summary>
    /// Connects to the parent the environment names, taking those variables out of it: a process a task starts
    /// must not think it is a worker too.
    /// </summary>
    private static WorkerSession Connect()
    {
        string socketPath = Take(WorkerEnvironment.Socket)!;
        int index = ParseIndex(Take(WorkerEnvironment.Index));
        byte[] token = FromHex(Take(WorkerEnvironment.Token) ?? string.Empty);
        string? statusPath = Take(WorkerEnvironment.Status);
        string? bulkBase = Take(WorkerEnvironment.Bulk);
        var status = statusPath is null ? null : WorkerStatusSlot.Open(statusPath);
        var stream = UnixSocketStream.Open(socketPath);
        WorkerEnvironment.ForgetRuntimeDefaults();
        var bulk = string.IsNullOrEmpty(bulkBase) ? null : new BulkChannel(bulkBase, isParent: false);
        return new WorkerSession(index, token, status, stream, bulk);

        static string? Take(string name)
        {
            string? value = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
            return value;
        }
    }

    /// <summary>By hand: int.Parse with a culture loads ICU, milliseconds a worker need not spend before its first result.</summary>
    private static int ParseIndex(string? text)
    {
        int value = 0;
        foreach (char c in text ?? "0")
        {
            if (c is < '0' or > '9')
            {
                throw new InvalidDataException($"The worker index '{text}' in {WorkerEnvironment.Index} is not a number.");
            }

            value = checked((value * 10) + (c - '0'));
        }

        return value;
    }

    /// <summary>Sends Hello (index, pid, token) and reads Init; null if the parent sent anything else.</summary>
    private InitMessage? Handshake()
    {
        HelloMessage.Write(_output, _index, Environment.ProcessId, _token);
        _wire.SendNow(_output);
        return _reader.TryRead(out var kind, out var body) && kind == FrameKind.Init ? InitMessage.Read(body) : null;
    }

    /// <summary>
    /// Runs the pool's initializer, sends Ready and starts the reader thread; the functions chunks will name,
    /// or null when the initializer threw (reported to the parent as InitFailed).
    /// </summary>
    private WorkerFunctions? Initialize(InitMessage init)
    {
        var serializer = CreateSerializer(init.SerializerType);
        var taskPool = new RemoteTaskPool(_wire.SendNow, serializer);
        WorkerInfo.SetForProcess(new WorkerInfo(_index, Environment.ProcessId, isProcess: true, taskPool));
        if (init.Initializer is { } initializer)
        {
            try
            {
                Delegate d = initializer.Resolve();
                object?[] args = init.InitArgs is { } bytes ? serializer.Deserialize<object?[]>(bytes) : [];
                d.DynamicInvoke(args);
            }
#pragma warning disable CA1031 // Reported to the parent, which decides whether the pool is broken.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Exception cause = ex is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : ex;
                ErrorFrame.Write(_output, FrameKind.InitFailed, null, RemoteError.From(cause));
                _wire.SendNow(_output);
                return null;
            }
        }

        FrameWriter.Empty(_output, FrameKind.Ready);
        _wire.SendNow(_output);
        StartReader(taskPool);
        return new WorkerFunctions(serializer, Math.Max(1, init.MaxConcurrencyPerWorker));
    }

    /// <summary>By hand: Convert.FromHexString's vectorized code is JIT-compiled in every fresh worker.</summary>
    private static byte[] FromHex(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((Nibble(hex[2 * i]) << 4) | Nibble(hex[(2 * i) + 1]));
        }

        return bytes;

        // A character that is not hex gives a wrong token, which the parent refuses.
        static int Nibble(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    private static IPoolSerializer CreateSerializer(string typeName)
    {
        // The default by hand: Type.GetType's name parser is slow in a cold worker.
        return typeName == typeof(MessagePackPoolSerializer).AssemblyQualifiedName
            ? new MessagePackPoolSerializer()
            : (IPoolSerializer)Activator.CreateInstance(Type.GetType(typeName, throwOnError: true)!)!;
    }
}
