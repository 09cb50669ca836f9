using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Prxy.Typed.Generators.Queries;

namespace Prxy.Typed.Generators.Tests;

/// <summary>String literals of the untyped query chain are checked against the compilation's [Table] records.</summary>
public sealed class UntypedQueryAnalyzerTests
{
    [Fact]
    public void Unknown_table_literal_is_reported_at_the_literal()
    {
        var diagnostic = Assert.Single(Analyze("""db.From([|"patternz"|]);"""));

        Assert.Equal("PRXY0030", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Equal("No [Table] record of this compilation has table name 'patternz'; check the name, or use the typed From<T>() of the record", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("""db.From("patterns").Eq([|"user_idd"|], "u");""", "user_idd")]
    [InlineData("""db.From("patterns").Select("id, problem").Order("created_at").Gte([|"sucess_rate"|], 0.5);""", "sucess_rate")]
    [InlineData("""db.From("patterns").Select([|"id, UserId"|]);""", "UserId")]
    [InlineData("""db.From("patterns").IsNull([|"tag"|]).Limit(3);""", "tag")]
    [InlineData("""db.From("patterns").Order([|"createdAt"|], ascending: false);""", "createdAt")]
    [InlineData("""db.From("patterns").Limit(1).Like([|"Problem"|], "%x%");""", "Problem")]
    public void Unknown_column_literal_is_reported_with_the_table_columns(string statement, string column)
    {
        var diagnostic = Assert.Single(Analyze(statement));

        Assert.Equal("PRXY0031", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(
            $"Table 'patterns' ([Table] record 'Sample.Pattern') has no column '{column}'; use one of: id, user_id, problem, solution, tags, embedding, success_rate, applied_count, created_at",
            diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("""db.From("patterns").Select("id, user_id, *").Eq("user_id", "u").Gte("success_rate", 0.5).Order("created_at").IsNull("embedding");""")]
    [InlineData("""var table = GetName(); db.From(table).Eq("anything", 1);""")]
    [InlineData("""var q = db.From("patterns"); q.Eq("not_checked_through_a_local", 1);""")]
    [InlineData("""db.From<Pattern>();""")]
    public void Known_or_non_literal_names_are_not_reported(string statement)
    {
        Assert.Empty(Analyze(statement));
    }

    /// <summary>Compiles the statement in a method with an IDatabase; asserts each diagnostic starts at a [| |] marker.</summary>
    private static ImmutableArray<Diagnostic> Analyze(string statementMarkup)
    {
        var markerStart = statementMarkup.IndexOf("[|", StringComparison.Ordinal);
        var statement = statementMarkup.Replace("[|", "").Replace("|]", "");
        var usage = $$"""
            namespace Sample;

            public static class Usage
            {
                private static string GetName() => "patterns";

                public static void Run(IDatabase db)
                {
                    {{statement}}
                }
            }
            """;
        var (_, output) = GeneratorHarness.Run(TestSources.Pattern);
        var compilation = output.AddSyntaxTrees(CSharpSyntaxTree.ParseText(usage, GeneratorHarness.ParseOptions, "Usage.cs"));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, GeneratorHarness.Format(errors));

        var diagnostics = compilation.WithAnalyzers([new UntypedQueryAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        if (markerStart >= 0)
        {
            var expected = SourceText.From(usage).Lines.GetLinePosition(usage.IndexOf(statement, StringComparison.Ordinal) + markerStart);
            Assert.All(diagnostics, d => Assert.Equal(expected, d.Location.GetLineSpan().StartLinePosition));
        }

        return diagnostics;
    }
}
