using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Multiprocessing.Analyzers;

/// <summary>The diagnostics of this package, in one place: ids, messages and severities.</summary>
internal static class Descriptors
{
    internal const string Category = "Multiprocessing";

    /// <summary>
    /// The public repository's address (MultiprocessingRepositoryUrl in eng/Packaging.props, stamped on this assembly
    /// at build time), under which docs/analyzers/MP000N.md explains each diagnostic and its fix. Declared before the
    /// descriptors: static fields are initialized in the order written. Empty until the repository has an address,
    /// and then the diagnostics carry no link rather than a wrong one.
    /// </summary>
    private static readonly string s_repositoryUrl =
        typeof(Descriptors).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "MultiprocessingRepositoryUrl")?.Value?.TrimEnd('/') ?? "";

    /// <summary>A lambda or anonymous method given to <c>Pool</c> captures variables or <c>this</c>.</summary>
    internal static readonly DiagnosticDescriptor CapturingLambda = new(
        id: "MP0001",
        title: "A task given to Pool must not capture variables",
        messageFormat: "The lambda passed to {0} captures {1}; a worker process cannot receive captured state. Pass the values as task arguments and mark the lambda 'static', or use ThreadedPool, which runs closures.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Pool runs its tasks in other processes: only the method travels, never the objects a closure holds. Pool refuses such a delegate at run time with ArgumentException; this diagnostic reports it at build time.",
        helpLinkUri: HelpLink("MP0001"));

    /// <summary>A method group bound to an object (an instance method, or an extension method called on a value).</summary>
    internal static readonly DiagnosticDescriptor BoundMethod = new(
        id: "MP0002",
        title: "A task given to Pool must be a static method",
        messageFormat: "{0} is given '{1}', a method bound to an object; a worker process cannot receive that object. Make the method static and pass the state it needs as task arguments, or use ThreadedPool, which runs bound methods.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Pool runs its tasks in other processes, where the object an instance method belongs to does not exist. Pool refuses such a delegate at run time with ArgumentException; this diagnostic reports it at build time.",
        helpLinkUri: HelpLink("MP0002"));

    /// <summary>An argument, element or result type that no serializer can carry to another process.</summary>
    internal static readonly DiagnosticDescriptor UnsendableType = new(
        id: "MP0003",
        title: "Arguments and results of a Pool task must be serializable data",
        messageFormat: "The {1} type '{2}' of {0} cannot cross to a worker process: {3}. Send plain data (numbers, strings, arrays, records) instead, or use ThreadedPool.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Pool serializes every argument and result. Delegates, pointers and handles to things that live in one process (streams, sockets, threads, tasks) cannot be serialized; the call would fail at run time with ArgumentException or in the worker.",
        helpLinkUri: HelpLink("MP0003"));

    /// <summary>A lambda given to <c>Pool</c> that captures nothing but is not marked static (a warning, so that command-line builds show it; with a code fix).</summary>
    internal static readonly DiagnosticDescriptor LambdaCanBeStatic = new(
        id: "MP0004",
        title: "Mark lambdas given to Pool 'static'",
        messageFormat: "The lambda passed to {0} captures nothing; mark it 'static' so that the compiler keeps it that way",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A static lambda cannot capture variables or this, so a later edit cannot turn it into a task that Pool refuses at run time.",
        helpLinkUri: HelpLink("MP0004"));

    /// <summary>A page in docs/analyzers/ of the public repository; empty while it has no address.</summary>
    private static string HelpLink(string id)
        => s_repositoryUrl.Length == 0 ? "" : $"{s_repositoryUrl}/blob/main/docs/analyzers/{id}.md";
}
