using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Prxy.Typed.Generators.Modules;

namespace Prxy.Typed.Generators.Tests.Modules;

public sealed class ModulePipelineTests
{
    private static readonly string[] Steps =
    [
        ModuleGenerator.TrackingNames.Modules, ModuleGenerator.TrackingNames.Migrations, ModuleGenerator.TrackingNames.Tables,
        ModuleGenerator.TrackingNames.Output, ModuleGenerator.TrackingNames.SchemaCheck,
    ];

    [Fact]
    public void Unrelated_edit_leaves_every_step_cached()
    {
        var compilation = ModuleHarness.Compile(ModuleSources.Complete);
        var driver = ModuleHarness.CreateDriver().RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Sample; public static class Unrelated { public static int X => 1; }", ModuleHarness.ParseOptions));
        var run = driver.RunGenerators(edited).GetRunResult().Results[0];

        foreach (var step in Steps)
        {
            Assert.All(run.TrackedSteps[step].SelectMany(s => s.Outputs), o =>
                Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step} was {o.Reason}"));
        }

        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output was {o.Reason}"));
    }

    [Fact]
    public void Editing_a_migration_reruns_the_output_and_editing_a_record_only_the_schema_check()
    {
        var compilation = ModuleHarness.Compile(ModuleSources.Complete);
        var driver = ModuleHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();

        var migrationEdit = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(
            tree.GetText().ToString().IndexOf("ON patterns (user_id)", StringComparison.Ordinal), "ON patterns (user_id)".Length, "ON patterns (user_id, id)")));
        var afterMigration = driver.RunGenerators(migrationEdit).GetRunResult().Results[0];
        Assert.Contains(afterMigration.TrackedSteps[ModuleGenerator.TrackingNames.Output].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("(user_id, id)", afterMigration.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);

        var recordEdit = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(
            tree.GetText().ToString().IndexOf("public long AppliedCount", StringComparison.Ordinal), "public long AppliedCount".Length, "public long AppliedTimes")));
        var afterRecord = driver.RunGenerators(recordEdit).GetRunResult().Results[0];
        Assert.All(afterRecord.TrackedSteps[ModuleGenerator.TrackingNames.Output].SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains(afterRecord.TrackedSteps[ModuleGenerator.TrackingNames.SchemaCheck].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(afterRecord.Diagnostics, d => d.Id == "PRXY0121" && d.GetMessage().Contains("applied_times", StringComparison.Ordinal));
    }

    [Fact]
    public void Pipeline_models_hold_no_roslyn_symbols_syntax_or_compilations()
    {
        var compilation = ModuleHarness.Compile(ModuleSources.Complete);
        var run = ModuleHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results[0];

        var visited = 0;
        foreach (var step in Steps)
        {
            foreach (var output in run.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                visited += Walk(output.Value, step, 0);
            }
        }

        Assert.True(visited > 20, $"only {visited} values were walked");
    }

    private static int Walk(object? value, string path, int depth)
    {
        if (value is null || depth > 12 || value is string || value.GetType().IsPrimitive || value is Enum || value is DiagnosticDescriptor)
        {
            return 1;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SyntaxTree or SemanticModel, $"{path} holds a {value.GetType()}");
        var count = 1;
        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                count += Walk(item, path + "[]", depth + 1);
            }

            return count;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.Name != "EqualityContract")
            {
                count += Walk(property.GetValue(value), path + "." + property.Name, depth + 1);
            }
        }

        return count;
    }
}
