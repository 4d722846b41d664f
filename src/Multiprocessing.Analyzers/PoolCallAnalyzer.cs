using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Multiprocessing.Analyzers;

/// <summary>
/// Reports, at build time, what <c>Pool</c> would refuse at run time: a task that captures state (MP0001),
/// a method bound to an object (MP0002), an argument or result type that cannot cross to another
/// process (MP0003); and suggests 'static' on capture-free lambdas (MP0004). Only calls whose receiver is
/// statically a <c>Pool</c> are checked: through <c>IPool</c> or <c>PoolBase</c> the call may reach a
/// <c>ThreadedPool</c>, which runs any delegate.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PoolCallAnalyzer : DiagnosticAnalyzer
{
    private const string FunctionParameter = "func";
    private const string InitializerProperty = "Initializer";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.CapturingLambda, Descriptors.BoundMethod, Descriptors.UnsendableType, Descriptors.LambdaCanBeStatic);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (PoolSymbols.Create(start.Compilation) is not { } symbols)
            {
                return;
            }

            var types = new UnsendableTypes(start.Compilation);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols, types), OperationKind.Invocation);
            if (symbols.Options is not null)
            {
                start.RegisterOperationAction(c => AnalyzePoolCreation(c, symbols), OperationKind.ObjectCreation);
            }
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, PoolSymbols symbols, UnsendableTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        IOperation? receiver = method.IsExtensionMethod ? invocation.Arguments.FirstOrDefault()?.Value : invocation.Instance;
        ITypeSymbol? declaring = method.IsExtensionMethod ? method.Parameters.FirstOrDefault()?.Type : method.ContainingType;
        if (!symbols.IsPoolApi(declaring)
            || receiver is null
            || !SymbolEqualityComparer.Default.Equals(StaticType(receiver), symbols.Pool))
        {
            return;
        }

        IArgumentOperation? func = invocation.Arguments.FirstOrDefault(a =>
            a.Parameter is { Name: FunctionParameter, Type.TypeKind: TypeKind.Delegate });
        if (func is null)
        {
            return;
        }

        string callee = $"Pool.{method.Name}";
        CheckDelegate(context, func.Value, callee);
        CheckTypes(context, method, func.Value.Syntax.GetLocation(), callee, types);
    }

    /// <summary><c>new Pool(new PoolOptions { Initializer = … })</c>: the initializer runs in every worker.</summary>
    private static void AnalyzePoolCreation(OperationAnalysisContext context, PoolSymbols symbols)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (!SymbolEqualityComparer.Default.Equals(creation.Type, symbols.Pool))
        {
            return;
        }

        foreach (IArgumentOperation argument in creation.Arguments)
        {
            if (Unwrap(argument.Value) is IObjectCreationOperation { Initializer: { } initializer } options
                && SymbolEqualityComparer.Default.Equals(options.Type, symbols.Options))
            {
                foreach (IOperation assignment in initializer.Initializers)
                {
                    if (assignment is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: InitializerProperty } } set)
                    {
                        CheckDelegate(context, set.Value, "PoolOptions.Initializer");
                    }
                }
            }
        }
    }

    private static void CheckDelegate(OperationAnalysisContext context, IOperation value, string callee)
    {
        IOperation target = Unwrap(value);
        if (target is IDelegateCreationOperation creation)
        {
            target = Unwrap(creation.Target);
        }

        switch (target)
        {
            case IAnonymousFunctionOperation lambda when !IsStatic(lambda):
                IReadOnlyList<string> captured = CaptureFinder.Find(lambda);
                if (captured.Count > 0)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.CapturingLambda, lambda.Syntax.GetLocation(), callee, JoinNames(captured)));
                }
                else if (SupportsStaticLambdas(lambda.Syntax))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.LambdaCanBeStatic, lambda.Syntax.GetLocation(), callee));
                }

                break;

            // An instance method, or an extension method called on a value: either way the delegate's target is an object.
            case IMethodReferenceOperation reference when !reference.Method.IsStatic || reference.Instance is not null:
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.BoundMethod,
                    reference.Syntax.GetLocation(),
                    callee,
                    reference.Method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
                break;
        }
    }

    private static void CheckTypes(OperationAnalysisContext context, IMethodSymbol method, Location location, string callee, UnsendableTypes types)
    {
        // The method's type arguments are exactly what travels: T/T1..T4 out, TResult back. A type met in
        // several roles (Map(Echo<Func<int>>, …): element and result) is reported once.
        var roles = new Dictionary<ITypeSymbol, List<string>>(SymbolEqualityComparer.Default);
        for (int i = 0; i < method.TypeArguments.Length; i++)
        {
            ITypeSymbol type = method.TypeArguments[i];
            string role = method.TypeParameters[i].Name == "TResult" ? "result"
                : method.Name.IndexOf("map", System.StringComparison.OrdinalIgnoreCase) >= 0 ? "element"
                : "argument";
            if (!roles.TryGetValue(type, out List<string>? list))
            {
                roles.Add(type, list = []);
            }

            if (!list.Contains(role))
            {
                list.Add(role);
            }
        }

        foreach (KeyValuePair<ITypeSymbol, List<string>> entry in roles)
        {
            if (types.Reason(entry.Key) is { } reason)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.UnsendableType,
                    location,
                    callee,
                    string.Join(" and ", entry.Value),
                    entry.Key.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                    reason));
            }
        }
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { Operand: var operand })
        {
            operation = operand;
        }

        return operation;
    }

    private static ITypeSymbol? StaticType(IOperation receiver) =>
        receiver is IConversionOperation { IsImplicit: true, Operand: var operand } ? StaticType(operand) : receiver.Type;

    private static bool IsStatic(IAnonymousFunctionOperation lambda) =>
        lambda.Syntax is AnonymousFunctionExpressionSyntax syntax && syntax.Modifiers.Any(SyntaxKind.StaticKeyword);

    private static bool SupportsStaticLambdas(SyntaxNode syntax) =>
        syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp9 };

    private static string JoinNames(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[names.Count - 1];
}
