using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Multiprocessing.Analyzers;

/// <summary>MP0004: puts 'static' before a capture-free lambda given to Pool.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeLambdaStaticCodeFix))]
[Shared]
public sealed class MakeLambdaStaticCodeFix : CodeFixProvider
{
    private const string Title = "Mark the lambda 'static'";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.LambdaCanBeStatic.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true)
                .AncestorsAndSelf().OfType<AnonymousFunctionExpressionSyntax>().FirstOrDefault() is not { } lambda)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => MakeStaticAsync(context.Document, lambda, ct), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Document> MakeStaticAsync(Document document, AnonymousFunctionExpressionSyntax lambda, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || lambda.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            return document;
        }

        // 'static' goes first ('static async x => …'), taking over the lambda's leading trivia.
        SyntaxToken keyword = SyntaxFactory.Token(lambda.GetLeadingTrivia(), SyntaxKind.StaticKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        AnonymousFunctionExpressionSyntax updated = lambda.WithoutLeadingTrivia();
        updated = updated.WithModifiers(updated.Modifiers.Insert(0, keyword));
        return document.WithSyntaxRoot(root.ReplaceNode(lambda, updated));
    }
}
