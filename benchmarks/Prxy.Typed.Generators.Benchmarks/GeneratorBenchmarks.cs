using System.Collections.Immutable;
using System.Text;
using Basic.Reference.Assemblies;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Prxy.Typed.Generators.Tables;

namespace Prxy.Typed.Generators.Benchmarks;

/// <summary>
/// The table generator's own time on a compilation of 200 [Table] records (12 columns each, every kind). The baseline
/// binds the same declarations without the generator, so the ratio says what the generator adds to a build.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const int Tables = 200;
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private ImmutableArray<SyntaxTree> _trees;
    private ImmutableArray<MetadataReference> _references;
    private SyntaxTree _unrelatedA = null!;
    private SyntaxTree _unrelatedB = null!;
    private SyntaxTree _recordA = null!;
    private SyntaxTree _recordB = null!;
    private GeneratorDriver _warmDriver = null!;
    private CSharpCompilation _warmCompilation = null!;
    private bool _toggle;

    [GlobalSetup]
    public void Setup()
    {
        _references = [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(ITable<>).Assembly.Location)];
        var trees = new List<SyntaxTree>
        {
            Parse("global using System; global using System.Collections.Generic; global using Prxy.Typed;", "Usings.cs"),
            Parse("namespace Bench; public enum State { New, Done }", "State.cs"),
        };
        for (var i = 0; i < Tables; i++)
        {
            trees.Add(Parse(Record(i, "long"), $"Record{i}.cs"));
        }

        _unrelatedA = Parse("namespace Bench; public static class Helper { public static int F(int x) => x * 2; }", "Helper.cs");
        _unrelatedB = Parse("namespace Bench; public static class Helper { public static int F(int x) => x + x; }", "Helper.cs");
        trees.Add(_unrelatedA);
        _trees = [.. trees];
        _recordA = _trees[2];
        _recordB = Parse(Record(0, "int"), "Record0.cs");

        _warmCompilation = NewCompilation();
        _warmDriver = NewDriver().RunGenerators(_warmCompilation);
        var result = _warmDriver.GetRunResult();
        if (result.Diagnostics.Length > 0 || result.GeneratedTrees.Length != Tables)
        {
            throw new InvalidOperationException($"Setup produced {result.GeneratedTrees.Length} files and {result.Diagnostics.Length} diagnostics.");
        }
    }

    /// <summary>Binding the 200 records' declarations, no generator: what any build pays.</summary>
    [Benchmark(Baseline = true)]
    public int BindDeclarationsOnly() => NewCompilation().GetDeclarationDiagnostics().Length;

    /// <summary>A cold generator run (first build, or the IDE opening the project).</summary>
    [Benchmark]
    public int ColdRun() => NewDriver().RunGenerators(NewCompilation()).GetRunResult().GeneratedTrees.Length;

    /// <summary>A keystroke in a file with no [Table]: every step should be cached.</summary>
    [Benchmark]
    public int UnrelatedEdit()
    {
        _toggle = !_toggle;
        var compilation = _warmCompilation.ReplaceSyntaxTree(_unrelatedA, _toggle ? _unrelatedB : _unrelatedA);
        _warmDriver = _warmDriver.RunGenerators(compilation);
        return _warmDriver.GetRunResult().GeneratedTrees.Length;
    }

    /// <summary>A change to one of the 200 records: that record is re-emitted.</summary>
    [Benchmark]
    public int RecordEdit()
    {
        _toggle = !_toggle;
        var compilation = _warmCompilation.ReplaceSyntaxTree(_recordA, _toggle ? _recordB : _recordA);
        _warmDriver = _warmDriver.RunGenerators(compilation);
        return _warmDriver.GetRunResult().GeneratedTrees.Length;
    }

    private CSharpCompilation NewCompilation() => CSharpCompilation.Create(
        "Bench",
        _trees,
        _references,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create([new TableGenerator().AsSourceGenerator()], parseOptions: ParseOptions);

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    private static string Record(int i, string countType)
    {
        var builder = new StringBuilder();
        builder.Append("namespace Bench;\n");
        builder.Append($"[Table(\"table_{i}\")]\n");
        builder.Append($"public sealed partial record Record{i}\n{{\n");
        builder.Append("    [PrimaryKey] public required string Id { get; init; }\n");
        builder.Append("    public string? UserId { get; init; }\n");
        builder.Append("    public required string Problem { get; init; }\n");
        builder.Append($"    public {countType} AppliedCount {{ get; init; }}\n");
        builder.Append("    public double SuccessRate { get; init; }\n");
        builder.Append("    public decimal? Cost { get; init; }\n");
        builder.Append("    public bool Active { get; init; }\n");
        builder.Append("    public Guid? Owner { get; init; }\n");
        builder.Append("    public DateTimeOffset CreatedAt { get; init; }\n");
        builder.Append("    public State State { get; init; }\n");
        builder.Append("    [Json] public List<string>? Tags { get; init; }\n");
        builder.Append("    [Vector(384)] public float[]? Embedding { get; init; }\n");
        builder.Append("}\n");
        return builder.ToString();
    }
}
