using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Multiprocessing.Analyzers;

/// <summary>
/// Finds what a lambda captures: variables and parameters declared outside it, and <c>this</c> (explicit,
/// or implicit through an instance member). Local functions the lambda calls count too, because their
/// captures become the lambda's. Mirrors the runtime check, which looks at the closure object's fields.
/// </summary>
internal static class CaptureFinder
{
    private const string This = "this";

    /// <summary>The captured names in order of first use ('this' last), empty when the lambda captures nothing.</summary>
    public static IReadOnlyList<string> Find(IAnonymousFunctionOperation lambda)
    {
        var walk = new Walk(lambda.Syntax.SyntaxTree, lambda.Syntax.Span);
        walk.Visit(lambda.Body);
        var names = walk.Names.ToList();
        if (walk.ThisMembers is { } members)
        {
            names.Add(members.Count == 0 ? $"'{This}'" : $"'{This}' (for {Quote(members)})");
        }

        return names;
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private sealed class Walk(SyntaxTree tree, TextSpan lambdaSpan)
    {
        private readonly List<TextSpan> _inside = [lambdaSpan];
        private readonly HashSet<string> _seen = [];
        private readonly HashSet<IMethodSymbol> _localFunctions = new(SymbolEqualityComparer.Default);

        public List<string> Names { get; } = [];

        /// <summary>Members reached through an implicit or explicit 'this'; null when 'this' is not captured.</summary>
        public List<string>? ThisMembers { get; private set; }

        public void Visit(IOperation? root)
        {
            // An explicit stack: a long chain of binary operators must not exhaust the compiler's stack.
            var pending = new Stack<IOperation>();
            if (root is not null)
            {
                pending.Push(root);
            }

            while (pending.Count > 0)
            {
                IOperation op = pending.Pop();

                // A constant or a name in nameof() is compiled into the lambda, never captured.
                if (op.ConstantValue.HasValue || op is INameOfOperation)
                {
                    continue;
                }

                switch (op)
                {
                    case ILocalReferenceOperation local when !DeclaredInside(local.Local):
                        Add(local.Local.Name);
                        break;
                    case IParameterReferenceOperation parameter when !DeclaredInside(parameter.Parameter):
                        Add(parameter.Parameter.Name);
                        break;
                    case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } instance:
                        AddThis(instance);
                        break;
                    case IInvocationOperation { TargetMethod: { MethodKind: MethodKind.LocalFunction } target }:
                        VisitLocalFunction(target, op.SemanticModel);
                        break;
                    case IMethodReferenceOperation { Method: { MethodKind: MethodKind.LocalFunction } target }:
                        VisitLocalFunction(target, op.SemanticModel);
                        break;
                }

                foreach (IOperation child in op.ChildOperations.Reverse())
                {
                    pending.Push(child);
                }
            }
        }

        private void Add(string name)
        {
            if (_seen.Add(name))
            {
                Names.Add($"'{name}'");
            }
        }

        private void AddThis(IInstanceReferenceOperation instance)
        {
            ThisMembers ??= [];
            string? member = instance.Parent switch
            {
                IMemberReferenceOperation m => m.Member.Name,
                IInvocationOperation i => i.TargetMethod.Name,
                _ => null,
            };
            if (member is not null && !ThisMembers.Contains(member))
            {
                ThisMembers.Add(member);
            }
        }

        // A local function declared outside the lambda hands its own captures to the lambda (the compiler
        // puts them in the lambda's closure), so its body is walked as if it were part of the lambda.
        private void VisitLocalFunction(IMethodSymbol localFunction, SemanticModel? model)
        {
            localFunction = localFunction.OriginalDefinition;
            if (localFunction.IsStatic || model is null || !_localFunctions.Add(localFunction))
            {
                return;
            }

            foreach (SyntaxReference reference in localFunction.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree == tree && !lambdaSpan.Contains(reference.Span))
                {
                    // Its own parameters and locals are not captures.
                    _inside.Add(reference.Span);
                    Visit(model.GetOperation(reference.GetSyntax()));
                }
            }
        }

        // By syntax rather than by containing symbol: a lambda is bound more than once during overload
        // resolution, and only its text position is the same in every binding.
        private bool DeclaredInside(ISymbol symbol) =>
            symbol.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == tree && _inside.Any(span => span.Contains(r.Span)));
    }
}
