using System.Reflection;
using System.Text.RegularExpressions;
using Prxy.Typed;

namespace PackageSmoke;

/// <summary>
/// Builds the runtime's <see cref="TableInfo"/> for a <c>[Table]</c> record from its attributes, by reflection:
/// the stand-in for the generated <c>T.Table</c> until the package's generator emits it.
/// </summary>
internal static partial class AttributeTableInfo
{
    public static TableInfo For<T>()
    {
        var type = typeof(T);
        var table = type.GetCustomAttribute<TableAttribute>()
            ?? throw new InvalidOperationException($"{type.Name} has no [Table] attribute.");
        var columns = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select((p, i) => new ColumnInfo(
                p.GetCustomAttribute<ColumnAttribute>()?.Name ?? UpperLetter().Replace(p.Name, "_$1").ToLowerInvariant(),
                p.Name,
                i,
                KindOf(p),
                Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType,
                new NullabilityInfoContext().Create(p).ReadState == NullabilityState.Nullable,
                p.IsDefined(typeof(PrimaryKeyAttribute)),
                p.GetCustomAttribute<VectorAttribute>()?.Dimensions ?? 0))
            .ToList();
        return new TableInfo(table.Name, type, columns);
    }

    private static ColumnKind KindOf(PropertyInfo property) => property switch
    {
        _ when property.IsDefined(typeof(VectorAttribute)) => ColumnKind.Vector,
        _ when property.IsDefined(typeof(JsonAttribute)) => ColumnKind.Json,
        _ => (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) switch
        {
            var t when t == typeof(string) => ColumnKind.String,
            var t when t == typeof(double) => ColumnKind.Double,
            var t when t == typeof(long) => ColumnKind.Int64,
            var t when t == typeof(DateTimeOffset) => ColumnKind.DateTimeOffset,
            var t => throw new NotSupportedException($"{property.Name}: {t.Name} is not mapped by this stand-in."),
        },
    };

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex UpperLetter();
}
