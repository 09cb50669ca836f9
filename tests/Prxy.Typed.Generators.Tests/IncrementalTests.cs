using System.Runtime.CompilerServices;
using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Prxy.Typed.Generators.Tables;

namespace Prxy.Typed.Generators.Tests;

/// <summary>The pipeline caches on value-equal models: unrelated edits re-use everything, real edits re-run.</summary>
public sealed class IncrementalTests
{
    private static readonly string[] StepNames = [TableGenerator.Steps.Tables, TableGenerator.Steps.TableNames, TableGenerator.Steps.Projections];

    private const string Unrelated = """
        namespace Sample;
        public static class Helpers { public static int Twice(int x) => x * 2; }
        """;

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compile(TestSources.JsonContext, TestSources.Representative, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var unrelatedTree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source2.cs");
        var edited = compilation.ReplaceSyntaxTree(unrelatedTree, CSharpSyntaxTree.ParseText(Unrelated.Replace("x * 2", "x + x"), GeneratorHarness.ParseOptions, "Source2.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var name in StepNames)
        {
            var outputs = result.TrackedSteps[name].SelectMany(step => step.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step {name} output was {o.Reason}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_a_record_re_runs_its_steps_and_changes_its_output()
    {
        var compilation = GeneratorHarness.Compile(TestSources.Pattern);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();

        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source0.cs");
        var changedSource = TestSources.Pattern.Replace("public long AppliedCount", "public int AppliedCount");
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(changedSource, GeneratorHarness.ParseOptions, "Source0.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var tables = result.TrackedSteps[TableGenerator.Steps.Tables].SelectMany(s => s.Outputs).ToList();
        Assert.Contains(tables, o => o.Reason == IncrementalStepRunReason.Modified);
        var after = result.GeneratedSources.Single().SourceText.ToString();
        Assert.NotEqual(before, after);
        Assert.Contains("global::Prxy.Typed.NumberColumn<global::Sample.Pattern, int> AppliedCount", after);
    }

    [Fact]
    public void Editing_a_table_re_runs_the_projection_that_reads_it()
    {
        const string Table = """
            namespace Sample;
            [Table("t")] public partial record T { [PrimaryKey] public int Id { get; init; } public long Count { get; init; } }
            """;
        const string Projection = """
            namespace Sample;
            [Projection(typeof(T))] public partial record P { public long Count { get; init; } }
            """;
        var compilation = GeneratorHarness.Compile(Table, Projection);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);

        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source0.cs");
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Table.Replace("long Count", "int Count"), GeneratorHarness.ParseOptions, "Source0.cs"));
        var result = driver.RunGenerators(edited).GetRunResult();

        Assert.Equal("PRXY0012", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void The_model_holds_no_Roslyn_objects()
    {
        var result = GeneratorHarness.CreateDriver()
            .RunGenerators(GeneratorHarness.Compile(TestSources.JsonContext, TestSources.Representative, TestSources.Pattern,
                """namespace Sample; [Table("bad")] public record Bad { public System.IO.Stream? S { get; init; } }"""))
            .GetRunResult().Results.Single();

        var values = StepNames.SelectMany(n => result.TrackedSteps[n]).SelectMany(s => s.Outputs).Select(o => o.Value).ToList();
        Assert.NotEmpty(values);
        var visited = 0;
        foreach (var value in values)
        {
            visited += Walk(value, "model");
        }

        // The representative input has dozens of columns; a walk that stopped early would visit far fewer objects.
        Assert.True(visited > 200, $"only {visited} objects visited");
    }

    [Fact]
    public void Model_types_declare_no_Roslyn_types()
    {
        var modelTypes = typeof(TableGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace is "Prxy.Typed.Generators.Tables" or "Prxy.Typed.Generators.Diagnostics"
                && (t.Name.EndsWith("Model", StringComparison.Ordinal)
                    || t.Name is "TableResult" or "ProjectionResult" or "DiagnosticInfo" or "LocationInfo" or "ContainingType" or "TypeDeclaration"))
            .ToList();
        Assert.True(modelTypes.Count >= 8, string.Join(", ", modelTypes));
        foreach (var type in modelTypes)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            {
                var declared = property.PropertyType;
                var arguments = declared.IsGenericType ? declared.GetGenericArguments() : [];
                Assert.All(arguments.Append(declared), t => Assert.False(
                    t.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true,
                    $"{type.Name}.{property.Name} is {t}"));
            }
        }
    }

    /// <summary>Walks public and private state of the model and fails on any symbol, compilation or syntax.</summary>
    private static int Walk(object? value, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return 1;
        }

        Assert.False(
            value is ISymbol or Compilation or SyntaxNode or SyntaxTree or SemanticModel or Location or AttributeData or SyntaxToken,
            $"{path} holds a {value.GetType()}");
        var count = 1;
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                count += Walk(item, $"{path}[{i++}]");
            }

            return count;
        }

        if (value is ITuple tuple)
        {
            for (var i = 0; i < tuple.Length; i++)
            {
                count += Walk(tuple[i], $"{path}.Item{i + 1}");
            }

            return count;
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            count += Walk(field.GetValue(value), $"{path}.{field.Name}");
        }

        return count;
    }
}
