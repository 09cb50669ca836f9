using Microsoft.CodeAnalysis;

namespace Prxy.Typed.Generators.Tests;

/// <summary>
/// The column objects' types are the first compile-time check: these misuses must not compile. Each case compiles the
/// DESIGN.md Pattern record plus one statement and asserts the compiler's error id on that statement.
/// </summary>
public sealed class TypingTests
{
    private const string Other = """
        namespace Sample;

        [Table("others")]
        public sealed partial record Other
        {
            [PrimaryKey] public required string Name { get; init; }
        }
        """;

    public static TheoryData<string, string> Misuses() => new()
    {
        // Like on a number column
        { "var f = Pattern.Columns.SuccessRate.Like(\"x\");", "CS1061" },
        // comparisons on a vector column
        { "var f = Pattern.Columns.Embedding.Gte(1);", "CS1061" },
        // Gte on a text column
        { "var f = Pattern.Columns.Problem.Gte(\"a\");", "CS1061" },
        // a filter on another table's column where a Pattern filter is expected
        { "Filter<Pattern> f = Other.Columns.Name.Eq(\"x\");", "CS0029" },
        // combining filters of two tables
        { "var f = Pattern.Columns.Id.Eq(\"a\") & Other.Columns.Name.Eq(\"b\");", "CS0019" },
        // a value of the wrong type
        { "var f = Pattern.Columns.AppliedCount.Eq(\"many\");", "CS1503" },
        // Eq on a vector column
        { "var f = Pattern.Columns.Embedding.Eq(new float[384]);", "CS1061" },
        // Increment on a date column
        { "var a = Pattern.Columns.CreatedAt.Increment(1);", "CS1061" },
        // comparisons on a JSON column
        { "var f = Pattern.Columns.Tags.Gt(null!);", "CS1061" },
    };

    [Theory]
    [MemberData(nameof(Misuses))]
    public void Misuse_of_a_column_does_not_compile(string statement, string expectedError)
    {
        var errors = CompileStatement(statement);

        var error = Assert.Single(errors);
        Assert.Equal(expectedError, error.Id);
        Assert.Equal("Usage.cs", error.Location.SourceTree!.FilePath);
    }

    [Fact]
    public void Correct_use_of_the_columns_compiles()
    {
        var errors = CompileStatement("""
            var f = Pattern.Columns.Problem.Like("%timeout%")
                & Pattern.Columns.SuccessRate.Gte(0.5)
                & Pattern.Columns.CreatedAt.Lt(DateTimeOffset.UtcNow)
                & Pattern.Columns.UserId.IsNull()
                & !Pattern.Columns.Embedding.IsNull()
                & Pattern.Columns.Tags.Eq(new[] { "a" });
            var set = Pattern.Columns.AppliedCount.Increment(1);
            int dimensions = Pattern.Columns.Embedding.Dimensions;
            """);

        Assert.Empty(errors);
    }

    private static List<Diagnostic> CompileStatement(string statement)
    {
        var usage = $$"""
            namespace Sample;

            public static class Usage
            {
                public static void Run()
                {
                    {{statement}}
                }
            }
            """;
        var (result, output) = GeneratorHarness.Run(TestSources.Pattern, Other);
        Assert.Empty(result.Diagnostics);
        var withUsage = output.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(usage, GeneratorHarness.ParseOptions, "Usage.cs"));
        return withUsage.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }
}
