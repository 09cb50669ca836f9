using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Prxy.Typed.Generators.Modules;

namespace Prxy.Typed.Generators.Tests.Modules;

/// <summary>Runs <see cref="ModuleGenerator"/> over source text with the .NET 10 reference assemblies.</summary>
internal static class ModuleHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compile(string source, bool referenceMigrations = true)
    {
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(Prxy.Typed.TableAttribute).Assembly.Location));
        if (referenceMigrations)
        {
            references = references.Append(MetadataReference.CreateFromFile(typeof(Prxy.Typed.Migrations.MigrationRunner).Assembly.Location));
        }

        return CSharpCompilation.Create(
            "ModuleTests",
            [CSharpSyntaxTree.ParseText(source, ParseOptions, path: "Module.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new ModuleGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static Result Run(string source, bool referenceMigrations = true)
    {
        var compilation = Compile(source, referenceMigrations);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var run = driver.GetRunResult();
        return new Result(run.Diagnostics, output, run.GeneratedTrees.Select(t => t.ToString()).ToImmutableArray());
    }

    public static void AssertSnapshot(string actual, string name)
    {
        var directory = Path.Combine(TestPaths.ProjectDirectory, "Modules", "Snapshots");
        var verified = Path.Combine(directory, name + ".verified.cs");
        var received = Path.Combine(directory, name + ".received.cs");
        if (File.Exists(verified) && File.ReadAllText(verified) == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        Assert.Fail($"Generated source differs from {verified}; compare it with {received} and rename it when the change is intended.");
    }

    internal sealed record Result(ImmutableArray<Diagnostic> Diagnostics, Compilation Output, ImmutableArray<string> Sources)
    {
        public Diagnostic Single(string id) => Assert.Single(Diagnostics, d => d.Id == id);

        /// <summary>The source text a diagnostic points at (generator locations carry a path and span, not a tree).</summary>
        public string Text(Diagnostic diagnostic)
        {
            var path = diagnostic.Location.GetLineSpan().Path;
            var tree = Assert.Single(Output.SyntaxTrees, t => t.FilePath == path);
            return tree.GetText().ToString(diagnostic.Location.SourceSpan);
        }

        public ImmutableArray<Diagnostic> CompileErrors =>
            [.. Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
    }
}
