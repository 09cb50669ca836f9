using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Prxy.Typed.Generators.Tests;

/// <summary>
/// One case per diagnostic: the id, where it points (the start of the [| |] marker in the input) and the exact message.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Key = "[PrimaryKey] public int Id { get; init; }";

    public static TheoryData<string, string, string> Cases() => new()
    {
        {
            "PRXY0001",
            $$"""[Table("t")] public sealed record [|NotPartial|] { {{Key}} }""",
            "'Sample.NotPartial' must be declared partial so the generator can implement ITable<NotPartial>; add the 'partial' modifier"
        },
        {
            "PRXY0001",
            $$"""public static class [|Outer|] { [Table("t")] public partial record Inner { {{Key}} } }""",
            "'Sample.Outer' must be declared partial so the generator can implement the nested ITable<Inner>; add the 'partial' modifier"
        },
        {
            "PRXY0002",
            """[Table("t")] public partial record [|NoKey|] { public int Id { get; init; } }""",
            "Table record 'Sample.NoKey' has no [PrimaryKey] property; mark the property (or properties) that identify a row with [PrimaryKey]"
        },
        {
            "PRXY0003",
            $$"""[Table("t")] public partial record Bad { {{Key}} public required System.IO.Stream [|Data|] { get; init; } }""",
            "Property 'Bad.Data' has type 'System.IO.Stream', which has no column mapping; use a supported type or store it as JSON with [Json]"
        },
        {
            "PRXY0003",
            $$"""[Table("t")] public partial record Bad { {{Key}} public List<int>? [|Numbers|] { get; init; } }""",
            "Property 'Bad.Numbers' has type 'System.Collections.Generic.List<int>?', which has no column mapping; use a supported type or store it as JSON with [Json]"
        },
        {
            "PRXY0004",
            $$"""[Table([|"bad-name"|])] public partial record Bad { {{Key}} }""",
            "Table name 'bad-name' of 'Sample.Bad' is not a valid SQL identifier; use [A-Za-z_][A-Za-z0-9_]* of at most 63 bytes"
        },
        {
            "PRXY0004",
            $$"""[Table([|"{{new string('t', 64)}}"|])] public partial record Long { {{Key}} }""",
            $"Table name '{new string('t', 64)}' of 'Sample.Long' is not a valid SQL identifier; use [A-Za-z_][A-Za-z0-9_]* of at most 63 bytes"
        },
        {
            "PRXY0005",
            $$"""[Table("t")] public partial record Bad { {{Key}} [Column([|"1st"|])] public int First { get; init; } }""",
            "Column name '1st' of property 'Bad.First' is not a valid SQL identifier; use [A-Za-z_][A-Za-z0-9_]* of at most 63 bytes, with [Column(\"...\")] if needed"
        },
        {
            "PRXY0005",
            $$"""[Table("t")] public partial record Bad { {{Key}} public int [|Straße|] { get; init; } }""",
            "Column name 'straße' of property 'Bad.Straße' is not a valid SQL identifier; use [A-Za-z_][A-Za-z0-9_]* of at most 63 bytes, with [Column(\"...\")] if needed"
        },
        {
            "PRXY0006",
            $$"""[Table("t")] public partial record Bad { {{Key}} public int UserId { get; init; } [Column("user_id")] public int [|Other|] { get; init; } }""",
            "Property 'Bad.Other' maps to column 'user_id', which property 'Bad.UserId' already uses; give one of them another name with [Column(\"...\")]"
        },
        {
            "PRXY0007",
            $$"""[Table("t")] public partial record Bad { {{Key}} [[|Vector(0)|]] public float[]? Embedding { get; init; } }""",
            "[Vector(0)] on property 'Bad.Embedding' is out of range; use a dimension count from 1 to 16000"
        },
        {
            "PRXY0007",
            $$"""[Table("t")] public partial record Bad { {{Key}} [[|Vector(16001)|]] public ReadOnlyMemory<float> Embedding { get; init; } }""",
            "[Vector(16001)] on property 'Bad.Embedding' is out of range; use a dimension count from 1 to 16000"
        },
        {
            "PRXY0008",
            $$"""[Table("t")] public partial record Bad { {{Key}} [Vector(3)] public double[]? [|Values|] { get; init; } }""",
            "[Vector] on property 'Bad.Values' of type 'double[]?' is not supported; declare it as float[] or ReadOnlyMemory<float>"
        },
        {
            "PRXY0009",
            $$"""
            [Table("same")] public partial record A { {{Key}} }
            [Table([|"same"|])] public partial record B { {{Key}} }
            """,
            "Table name 'same' of 'Sample.B' is already used by 'Sample.A'; give each [Table] record its own name"
        },
        {
            "PRXY0010",
            """[[|Projection(typeof(string))|]] public partial record P { public int Id { get; init; } }""",
            "[Projection(typeof(string))] on 'Sample.P' names a type without [Table]; name a [Table] record"
        },
        {
            "PRXY0011",
            $$"""
            [Table("t")] public partial record T { {{Key}} public string? Name { get; init; } }
            [Projection(typeof(T))] public partial record P { public int Id { get; init; } public string? [|Nmae|] { get; init; } }
            """,
            "Property 'P.Nmae' reads column 'nmae', which table record 'Sample.T' does not have; rename the property or use [Column(\"...\")] with one of its column names"
        },
        {
            "PRXY0012",
            $$"""
            [Table("t")] public partial record T { {{Key}} public long Count { get; init; } }
            [Projection(typeof(T))] public partial record P { public int [|Count|] { get; init; } }
            """,
            "Property 'P.Count' has type 'int' but column 'count' of 'Sample.T' holds 'long'; declare the property as 'long'"
        },
        {
            "PRXY0013",
            $$"""
            [Table("t")] public partial record T { {{Key}} public string? Name { get; init; } }
            [Projection(typeof(T))] public partial record P { public required string [|Name|] { get; init; } }
            """,
            "Property 'P.Name' is not nullable but column 'name' of 'Sample.T' is; declare the property as 'string?'"
        },
        {
            "PRXY0014",
            $$"""[Table("t")] public partial record [|Generic|]<TValue> { {{Key}} }""",
            "'Sample.Generic<TValue>' is generic; [Table] and [Projection] records cannot have type parameters, declare a non-generic record"
        },
        {
            "PRXY0015",
            $$"""[Table("t")] public partial class [|Sealed|] { public Sealed(string unrelated) { } {{Key}} }""",
            "'Sample.Sealed' has no parameterless constructor and no constructor whose parameters all name mapped properties; add one so rows can be read"
        },
        {
            "PRXY0016",
            $$"""[Table("t")] public partial record Bad { {{Key}} [Json(Context = typeof(string))] public List<int>? [|Numbers|] { get; init; } }""",
            "[Json(Context = typeof(string))] on property 'Bad.Numbers' does not name a JsonSerializerContext with a static Default instance; name a class deriving from JsonSerializerContext"
        },
        {
            "PRXY0017",
            """[Table("t")] public partial record Bad { [PrimaryKey] public string? [|Id|] { get; init; } }""",
            "[PrimaryKey] property 'Bad.Id' is nullable; a key must be a non-nullable text, number, boolean, Guid, date, byte[] or enum property"
        },
        {
            "PRXY0018",
            $$"""[Table("t")] public partial record Bad { {{Key}} [Json, Vector(3)] public float[]? [|Both|] { get; init; } }""",
            "Property 'Bad.Both' has both [Json] and [Vector]; keep [Vector] for float vectors or [Json] for other values"
        },
        {
            "PRXY0019",
            $$"""[Table("t")] public partial record Warn { {{Key}} [Json(Context = typeof(SampleJsonContext))] public HashSet<int>? [|Set|] { get; init; } }""",
            "'Sample.SampleJsonContext' has no [JsonSerializable(typeof(System.Collections.Generic.HashSet<int>))] for property 'Warn.Set'; add it so the value can be serialized without reflection"
        },
        {
            "PRXY0020",
            $$"""[Table("t")] public partial record Bad { {{Key}} public string? [|Table|] { get; init; } }""",
            "'Sample.Bad' declares a member named 'Table', which the generator adds to [Table] and [Projection] records; rename it (keep the column name with [Column(\"...\")])"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_the_diagnostic_at_the_member_with_a_message_naming_it(string id, string markup, string message)
    {
        var (source, expected) = Parse("namespace Sample;\n" + markup);

        var (result, _) = GeneratorHarness.Run(TestSources.JsonContext, source);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage());
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("Source1.cs", span.Path);
        Assert.Equal(expected, span.StartLinePosition);
        Assert.Equal(id == "PRXY0019" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.EndsWith($"docs/diagnostics/{id}.md", diagnostic.Descriptor.HelpLinkUri);
    }

    [Fact]
    public void Every_descriptor_has_a_case_and_a_documentation_page()
    {
        // The untyped-query analyzer's rules are covered by UntypedQueryAnalyzerTests.
        var covered = Cases().Select(row => (string)row[0]).Concat(["PRXY0030", "PRXY0031"]).ToHashSet();
        var docs = Path.Combine(RepositoryRoot(), "docs", "diagnostics");

        Assert.All(Diagnostics.DiagnosticDescriptors.Descriptors, d =>
        {
            Assert.Contains(d.Id, covered);
            var page = Path.Combine(docs, d.Id + ".md");
            Assert.True(File.Exists(page), $"{page} is missing");
            Assert.Contains(d.Id, File.ReadAllText(page));
        });
    }

    [Fact]
    public void Valid_input_yields_no_diagnostics()
    {
        var (result, output) = GeneratorHarness.Run(TestSources.JsonContext, TestSources.Representative, TestSources.Pattern);

        Assert.Empty(result.Diagnostics);
        SnapshotTests.AssertCleanCompilation(output);
    }

    [Fact]
    public void A_type_with_an_error_gets_no_generated_source()
    {
        var (result, _) = GeneratorHarness.Run($$"""
            namespace Sample;
            [Table("good")] public partial record Good { {{Key}} }
            [Table("bad")] public partial record Bad { {{Key}} public System.IO.Stream? Data { get; init; } }
            """);

        Assert.Equal(["Sample.Good.g.cs"], result.Results.Single().GeneratedSources.Select(s => s.HintName));
    }

    /// <summary>Removes the [| |] marker and returns where it started.</summary>
    private static (string Source, LinePosition Position) Parse(string markup)
    {
        var start = markup.IndexOf("[|", StringComparison.Ordinal);
        Assert.True(start >= 0, "the case has no [| |] marker");
        var source = markup.Remove(start, 2).Replace("|]", "");
        var text = SourceText.From(source);
        return (source, text.Lines.GetLinePosition(start));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Prxy.Typed.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Prxy.Typed.sln not found above " + AppContext.BaseDirectory);
    }
}
