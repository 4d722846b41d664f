using BenchmarkDotNet.Attributes;
using Multiprocessing.Protocol;

namespace Multiprocessing.Micro;

/// <summary>The default serializer on the shapes the pool sends: a block of ints, many short strings, records.</summary>
[MemoryDiagnoser]
public class SerializationBenchmarks
{
    private readonly MessagePackPoolSerializer _serializer = new();
    private readonly PooledBufferWriter _buffer = new();
    private int[] _ints = [];
    private string[] _words = [];
    private Point[] _points = [];
    private byte[] _intsBytes = [];
    private byte[] _wordsBytes = [];
    private byte[] _pointsBytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _ints = [.. Enumerable.Range(0, 1_000_000)];
        _words = [.. Enumerable.Range(0, 100_000).Select(i => "word" + i)];
        _points = [.. Enumerable.Range(0, 100_000).Select(i => new Point(i, -i, "p" + i))];
        _intsBytes = Bytes(_ints);
        _wordsBytes = Bytes(_words);
        _pointsBytes = Bytes(_points);
    }

    [Benchmark]
    public int SerializeInts() => Write(_ints);

    [Benchmark]
    public int DeserializeInts() => _serializer.Deserialize<int[]>(_intsBytes).Length;

    [Benchmark]
    public int SerializeStrings() => Write(_words);

    [Benchmark]
    public int DeserializeStrings() => _serializer.Deserialize<string[]>(_wordsBytes).Length;

    [Benchmark]
    public int SerializeRecords() => Write(_points);

    [Benchmark]
    public int DeserializeRecords() => _serializer.Deserialize<Point[]>(_pointsBytes).Length;

    private int Write<T>(T value)
    {
        _buffer.Clear(int.MaxValue);
        _serializer.Serialize(_buffer, value);
        return _buffer.WrittenCount;
    }

    private byte[] Bytes<T>(T value)
    {
        Write(value);
        return _buffer.WrittenSpan.ToArray();
    }

    public sealed record Point(int X, int Y, string Name);
}
