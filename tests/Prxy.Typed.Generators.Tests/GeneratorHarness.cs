using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Prxy.Typed.Generators.Tables;

namespace Prxy.Typed.Generators.Tests;

/// <summary>Runs the table generator over source text against the .NET 10 reference assemblies and the Prxy.Typed runtime.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ITable<>).Assembly.Location),
    ];

    /// <summary>Usings every test source gets, like a project with implicit usings.</summary>
    public const string Usings = """
        global using System;
        global using System.Collections.Generic;
        global using Prxy.Typed;

        """;

    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "Tests",
        [CSharpSyntaxTree.ParseText(Usings, ParseOptions, "Usings.cs"), .. sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, $"Source{i}.cs"))],
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new TableGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns its result and the compilation with the generated sources added.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(params string[] sources)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(Compile(sources), out var output, out _);
        return (driver.GetRunResult(), output);
    }

    /// <summary>Generator diagnostics plus the errors and warnings of the compiled output.</summary>
    public static ImmutableArray<Diagnostic> AllDiagnostics(params string[] sources)
    {
        var (result, output) = Run(sources);
        return [.. result.Diagnostics, .. output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];
    }

    public static string Format(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d => d.ToString()));
}
