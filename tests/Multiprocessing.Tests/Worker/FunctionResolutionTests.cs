using System.Reflection;
using MessagePack;
using Multiprocessing.Functions;
using Multiprocessing.Protocol;

namespace Multiprocessing.Tests.Worker;

/// <summary>How a worker finds the method a descriptor names: by token through the module, and the assembly names it registers.</summary>
public sealed class FunctionResolutionTests
{
    [Theory]
    [InlineData("Plain, Version=1.2.3.4, Culture=neutral, PublicKeyToken=null")]
    [InlineData("Plain")]
    [InlineData("With.Dots.And-Dash, Version=1.0.0.0")]
    [InlineData("Escaped\\,Comma, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null")]
    [InlineData("Quoted\\\"Name, Version=1.0.0.0")]
    public void SimpleName_IsWhatTheFullParserReads(string fullName)
        => Assert.Equal(new AssemblyName(fullName).Name, AssemblyResolution.SimpleName(fullName));

    [Fact]
    public void Create_LeavesCoreLibOutOfTheAssembliesToLoad()
    {
        var descriptor = FunctionDescriptor.Create(new Func<int, string>(Overloads.Twice), "f");

        Assert.DoesNotContain(descriptor.AssemblyPaths, p => p.Key == typeof(object).Assembly.FullName);
        Assert.Contains(descriptor.AssemblyPaths, p => p.Key == typeof(Overloads).Assembly.FullName);
    }

    [Fact]
    public void Resolve_AnOverload_FindsTheOneTheTokenNames()
    {
        Assert.Equal("2x", RoundTrip<Func<int, string>>(Overloads.Twice)(2));
        Assert.Equal("ab ab", RoundTrip<Func<string, string>>(Overloads.Twice)("ab"));
    }

    [Fact]
    public void Resolve_AMethodOfAClosedGenericType_FindsItOnThatInstantiation()
    {
        Assert.Equal("Int32:7", RoundTrip<Func<int, string>>(Holder<int>.Describe)(7));
        Assert.Equal("String:x", RoundTrip<Func<string, string>>(Holder<string>.Describe)("x"));
    }

    [Fact]
    public void Resolve_AGenericMethod_MakesItWithTheSentArguments()
        => Assert.Equal(["a", "a"], RoundTrip<Func<string, string[]>>(Overloads.Pair)("a"));

    [Fact]
    public void Resolve_ATokenOfAnotherType_FailsClearly()
    {
        var descriptor = FunctionDescriptor.Create(new Func<int, string>(Overloads.Twice), "f") with
        {
            MethodToken = new Func<int, string>(Holder<int>.Describe).Method.MetadataToken,
        };

        var ex = Assert.Throws<MissingMethodException>(() => descriptor.Resolve());
        Assert.Contains("was not found", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Through the wire as a worker gets it: written, read back, resolved.</summary>
    private static T RoundTrip<T>(T function)
        where T : Delegate
    {
        using var buffer = new PooledBufferWriter();
        var writer = new MessagePackWriter(buffer);
        FunctionDescriptor.Create(function, "f").Write(ref writer);
        writer.Flush();
        var reader = new MessagePackReader(buffer.WrittenSpan.ToArray());
        return (T)FunctionDescriptor.Read(ref reader).Resolve();
    }

    internal static class Overloads
    {
        public static string Twice(int x) => $"{x}x";

        public static string Twice(string s) => $"{s} {s}";

        public static T[] Pair<T>(T x) => [x, x];
    }

    internal static class Holder<T>
    {
        public static string Describe(T value) => $"{typeof(T).Name}:{value}";
    }
}
