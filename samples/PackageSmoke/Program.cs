// Proves that the packed Prxy.Typed package works as users get it: it restores by version, its runtime assembly
// loads and runs, and a [Table] record declared with its attributes compiles. Exits non-zero on any mismatch.
using System.Reflection;
using PackageSmoke;
using Prxy.Typed;

var problems = new List<string>();

var runtime = typeof(TableAttribute).Assembly;
var expectedVersion = Assembly.GetExecutingAssembly().GetCustomAttributes<AssemblyMetadataAttribute>()
    .Single(a => a.Key == "PrxyTypedVersion").Value;
var runtimeVersion = runtime.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
if (runtimeVersion != expectedVersion)
{
    problems.Add($"loaded Prxy.Typed {runtimeVersion ?? "(no version)"} from {runtime.Location}, expected {expectedVersion}");
}

TableInfo table = AttributeTableInfo.For<Pattern>();   // with the generator's output: TableInfo table = Pattern.Table;

Check(table.Name == "patterns", $"table name is '{table.Name}', expected 'patterns'");
Check(table.Columns.Count == 9, $"{table.Columns.Count} columns, expected 9");
Check(table.PrimaryKey is [{ PropertyName: "Id" }], "the primary key is not Id alone");
Check(table.FindColumn("user_id") is { PropertyName: "UserId", IsNullable: true }, "no nullable column user_id for UserId");
Check(table.FindColumn("embedding") is { Kind: ColumnKind.Vector, VectorDimensions: 384 }, "embedding is not a vector(384) column");
Check(table.FindColumn("tags") is { Kind: ColumnKind.Json }, "tags is not a JSON column");

if (problems.Count > 0)
{
    foreach (var problem in problems)
    {
        Console.Error.WriteLine("PackageSmoke FAILED: " + problem);
    }

    return 1;
}

Console.WriteLine($"PackageSmoke OK: Prxy.Typed {runtimeVersion} loaded from {runtime.Location}");
Console.WriteLine($"  table {table.Name}: {string.Join(", ", table.Columns.Select(c => c.Name))}");
return 0;

void Check(bool condition, string problem)
{
    if (!condition)
    {
        problems.Add(problem);
    }
}
