using System.Reflection;
using System.Runtime.CompilerServices;
using MessagePack;

namespace Multiprocessing.Functions;

/// <summary>
/// How a delegate is named across processes: the delegate type, the method's declaring type and metadata
/// token, its generic arguments, and whether it needs the compiler's singleton closure instance (a lambda
/// that captures nothing). The worker resolves it once and afterwards it is named by a small integer.
/// </summary>
internal sealed record FunctionDescriptor
{
    private const BindingFlags AllMembers = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    public required string DelegateType { get; init; }

    public required string DeclaringType { get; init; }

    public required int MethodToken { get; init; }

    public required string[] MethodGenericArguments { get; init; }

    public required bool NeedsClosureInstance { get; init; }

    /// <summary>Assembly full names and paths, so that the worker can load assemblies it would not find by name.</summary>
    public required KeyValuePair<string, string>[] AssemblyPaths { get; init; }

    public string DisplayName { get; init; } = string.Empty;

    /// <summary>The parent's module version id of the declaring type's module: metadata tokens are only valid for that build.</summary>
    public Guid ModuleVersionId { get; init; }

    /// <summary><see cref="DelegateType"/> by metadata, resolved without the type-name parser; null when it has none.</summary>
    public TypeReference? DelegateTypeReference { get; init; }

    /// <summary><see cref="DeclaringType"/> by metadata; null when it has none.</summary>
    public TypeReference? DeclaringTypeReference { get; init; }

    /// <summary>Checks that <paramref name="d"/> can run in another process and describes it.</summary>
    /// <exception cref="ArgumentException">It captures variables, is an instance method of an object, or is otherwise not portable.</exception>
    public static FunctionDescriptor Create(Delegate d, string parameterName)
    {
        MethodInfo method = d.Method;
        string name = Display(method);
        if (d.GetInvocationList().Length != 1)
        {
            throw new ArgumentException($"The delegate {name} combines several methods; a worker can run one method only. Pass a single static method.", parameterName);
        }

        if (method is { DeclaringType: null } || method.GetType().Name.Contains("DynamicMethod", StringComparison.Ordinal) || method.MetadataToken == 0)
        {
            throw new ArgumentException($"The delegate {name} is a dynamic method, which cannot be found by another process. Pass a static method.", parameterName);
        }

        bool needsClosure = false;
        if (d.Target is { } target)
        {
            Type targetType = target.GetType();
            bool compilerGenerated = targetType.IsDefined(typeof(CompilerGeneratedAttribute), false);
            FieldInfo[] fields = targetType.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (!compilerGenerated)
            {
                throw new ArgumentException(
                    $"The delegate {name} is an instance method of a {targetType.Name} object (or a lambda that uses 'this'). " +
                    "Its object cannot be sent to a worker process. Make the method static and pass what it needs as arguments, " +
                    "or use ThreadedPool, which runs any delegate.",
                    parameterName);
            }

            if (fields.Length > 0)
            {
                string captured = string.Join(", ", CapturedNames(targetType).Distinct());
                throw new ArgumentException(
                    $"The lambda {name} captures variables{(captured.Length > 0 ? $" ({captured})" : " of its enclosing method")}, which cannot be sent to a worker process. " +
                    "Pass them as task arguments instead (or through PoolOptions.InitArgs), and mark the lambda 'static' so the compiler checks it; " +
                    "or use ThreadedPool, which runs any delegate.",
                    parameterName);
            }

            needsClosure = true;
        }

        Type declaring = method.DeclaringType!;
        if (declaring.AssemblyQualifiedName is null || declaring.ContainsGenericParameters)
        {
            throw new ArgumentException($"The method {name} is declared on an open generic type, which a worker cannot resolve.", parameterName);
        }

        var assemblies = new Dictionary<string, string>();
        void Note(Type t)
        {
#pragma warning disable IL3000 // Empty in a single-file app: nothing to load by path there, so nothing is added.
            // CoreLib is found in every process: its name is not worth parsing in a cold worker.
            if (t.Assembly is { IsDynamic: false, Location.Length: > 0 } a && a != typeof(object).Assembly)
            {
                assemblies.TryAdd(a.FullName!, a.Location);
            }
#pragma warning restore IL3000

            if (t.IsGenericType)
            {
                foreach (var g in t.GetGenericArguments())
                {
                    Note(g);
                }
            }

            if (t.HasElementType)
            {
                Note(t.GetElementType()!);
            }
        }

        Note(declaring);
        Note(d.GetType());
        Type[] methodGenerics = method.IsGenericMethod ? method.GetGenericArguments() : [];
        foreach (var g in methodGenerics)
        {
            Note(g);
        }

        return new FunctionDescriptor
        {
            DelegateType = d.GetType().AssemblyQualifiedName!,
            DeclaringType = declaring.AssemblyQualifiedName,
            MethodToken = method.IsGenericMethod ? method.GetGenericMethodDefinition().MetadataToken : method.MetadataToken,
            MethodGenericArguments = [.. methodGenerics.Select(g => g.AssemblyQualifiedName!)],
            NeedsClosureInstance = needsClosure,
            AssemblyPaths = [.. assemblies],
            DisplayName = name,
            ModuleVersionId = declaring.Module.ModuleVersionId,
            DelegateTypeReference = TypeReference.Create(d.GetType()),
            DeclaringTypeReference = TypeReference.Create(declaring),
        };
    }

    /// <summary>Recreates the delegate in this process (the worker).</summary>
    public Delegate Resolve()
    {
        foreach (var (fullName, path) in AssemblyPaths)
        {
            AssemblyResolution.Register(fullName, path);
        }

        Type delegateType = DelegateTypeReference?.TryResolve() ?? TypeOf(DelegateType);
        Type declaring = DeclaringTypeReference?.TryResolve() ?? TypeOf(DeclaringType);
        if (ModuleVersionId != Guid.Empty && declaring.Module.ModuleVersionId != ModuleVersionId)
        {
            throw new InvalidOperationException(
                $"{declaring.Assembly.GetName().Name} in the worker is not the build the parent is running (its file was rebuilt or replaced after the parent started). Restart the application.");
        }

        MethodInfo method = ByToken(declaring, MethodToken)
            ?? throw new MissingMethodException($"Method {DisplayName} (token 0x{MethodToken:x8}) was not found on {declaring} in the worker.");
        if (method.IsGenericMethodDefinition)
        {
            method = method.MakeGenericMethod([.. MethodGenericArguments.Select(TypeOf)]);
        }

        object? target = null;
        if (NeedsClosureInstance)
        {
            // The compiler keeps the one instance of a capture-free lambda's class in a static field;
            // use it when present so that the lambda sees the same object it would in the parent.
            target = declaring.GetField("<>9", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(null)
                ?? RuntimeHelpers.GetUninitializedObject(declaring);
        }

        return method.CreateDelegate(delegateType, target);
    }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(10);
        writer.Write(DelegateType);
        writer.Write(DeclaringType);
        writer.Write(MethodToken);
        writer.WriteArrayHeader(MethodGenericArguments.Length);
        foreach (var g in MethodGenericArguments)
        {
            writer.Write(g);
        }

        writer.Write(NeedsClosureInstance);
        writer.WriteMapHeader(AssemblyPaths.Length);
        foreach (var (k, v) in AssemblyPaths)
        {
            writer.Write(k);
            writer.Write(v);
        }

        writer.Write(DisplayName);
        writer.Write(ModuleVersionId.ToByteArray());
        WriteReference(ref writer, DelegateTypeReference);
        WriteReference(ref writer, DeclaringTypeReference);
    }

    private static void WriteReference(ref MessagePackWriter writer, TypeReference? reference)
    {
        if (reference is null)
        {
            writer.WriteNil();
        }
        else
        {
            reference.Write(ref writer);
        }
    }

    public static FunctionDescriptor Read(ref MessagePackReader reader)
    {
        if (reader.ReadArrayHeader() != 10)
        {
            throw new InvalidDataException("Malformed function descriptor.");
        }

        string delegateType = reader.ReadString()!;
        string declaring = reader.ReadString()!;
        int token = reader.ReadInt32();
        var generics = new string[reader.ReadArrayHeader()];
        for (int i = 0; i < generics.Length; i++)
        {
            generics[i] = reader.ReadString()!;
        }

        bool closure = reader.ReadBoolean();
        var paths = new KeyValuePair<string, string>[reader.ReadMapHeader()];
        for (int i = 0; i < paths.Length; i++)
        {
            paths[i] = new(reader.ReadString()!, reader.ReadString()!);
        }

        return new FunctionDescriptor
        {
            DelegateType = delegateType,
            DeclaringType = declaring,
            MethodToken = token,
            MethodGenericArguments = generics,
            NeedsClosureInstance = closure,
            AssemblyPaths = paths,
            DisplayName = reader.ReadString() ?? string.Empty,
            ModuleVersionId = TypeReference.ReadModuleVersionId(ref reader),
            DelegateTypeReference = reader.TryReadNil() ? null : TypeReference.Read(ref reader),
            DeclaringTypeReference = reader.TryReadNil() ? null : TypeReference.Read(ref reader),
        };
    }

    /// <summary>
    /// The name a person recognises: <c>Type.Method</c>, <c>lambda in Type.Method</c>, <c>Local (local function in
    /// Type.Method)</c>, and for top-level statements just <c>Main</c>, never the compiler's <c>&lt;&lt;Main&gt;$&gt;b__0</c>.
    /// </summary>
    internal static string Display(MethodInfo m)
    {
        Type? type = m.DeclaringType;

        // Lambdas live in compiler-generated classes (<>c, <>c__DisplayClass0_0) nested in the user's type.
        while (type is not null && type.Name.StartsWith('<') && type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return FriendlyName(m.Name, type?.Name);
    }

    /// <summary>The names of the variables a closure captures, as written: no compiler fields (cached delegates,
    /// <c>&lt;&gt;4__this</c> becomes <c>this</c>, an enclosing scope's captures are listed as its variables).</summary>
    internal static IEnumerable<string> CapturedNames(Type closure)
    {
        foreach (var field in closure.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            string name = field.Name;
            if (name.StartsWith("<>4__this", StringComparison.Ordinal))
            {
                yield return "this";
            }
            else if (name.Contains("<>8__locals", StringComparison.Ordinal))
            {
                foreach (string inner in CapturedNames(field.FieldType))
                {
                    yield return inner;
                }
            }
            else if (!name.Contains('<', StringComparison.Ordinal))
            {
                yield return name;
            }
            else if (name.StartsWith('<') && name.IndexOf('>', StringComparison.Ordinal) is > 1 and int close && name.AsSpan(close).StartsWith(">5__"))
            {
                // A variable hoisted by an iterator or async method: <name>5__2.
                yield return name[1..close];
            }
        }
    }

    internal static string FriendlyName(string method, string? typeName)
    {
        if (!method.StartsWith('<'))
        {
            return typeName is null ? method : $"{typeName}.{method}";
        }

        // <Outer>b__0_1 is a lambda in Outer; <Outer>g__Name|0_1 the local function Name; Outer may itself be
        // mangled (a lambda in a local function), and <Main>$ is the entry point of top-level statements.
        int close = MatchingClose(method);
        if (close < 0)
        {
            return method;
        }

        string outer = method[1..close];
        string where = outer == "<Main>$" ? "Main"
            : outer.StartsWith('<') ? FriendlyName(outer, typeName)
            : typeName is null ? outer : $"{typeName}.{outer}";
        string rest = method[(close + 1)..];
        if (rest.StartsWith("g__", StringComparison.Ordinal))
        {
            int bar = rest.IndexOf('|', StringComparison.Ordinal);
            return $"{(bar > 3 ? rest[3..bar] : rest[3..])} (local function in {where})";
        }

        return rest.StartsWith("b__", StringComparison.Ordinal) ? $"lambda in {where}" : where;
    }

    private static int MatchingClose(string name)
    {
        int depth = 0;
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] == '<')
            {
                depth++;
            }
            else if (name[i] == '>' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static Type TypeOf(string name) => Type.GetType(name, throwOnError: true)!;

    /// <summary>
    /// The method with <paramref name="token"/> declared on <paramref name="declaring"/>: resolved through the module
    /// (enumerating a large type's methods costs a cold worker milliseconds), by enumeration if that fails.
    /// </summary>
    private static MethodInfo? ByToken(Type declaring, int token)
    {
        try
        {
            if (declaring.Module.ResolveMethod(token, declaring.IsGenericType ? declaring.GetGenericArguments() : null, null) is MethodInfo m
                && m.DeclaringType == declaring)
            {
                return m;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or BadImageFormatException or TypeLoadException)
        {
            // Not a method of this module: the enumeration below decides.
        }

        return declaring.GetMethods(AllMembers).FirstOrDefault(m => m.MetadataToken == token);
    }
}
