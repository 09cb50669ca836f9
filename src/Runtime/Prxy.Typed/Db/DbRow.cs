using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Prxy.Typed;

/// <summary>One row of an untyped or raw query: column name → value (<c>null</c> for SQL NULL), in select order.</summary>
public sealed class DbRow : IReadOnlyDictionary<string, object?>
{
    private readonly RowShape _shape;
    private readonly object?[] _values;

    internal DbRow(RowShape shape, object?[] values)
    {
        _shape = shape;
        _values = values;
    }

    /// <inheritdoc />
    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The row has no column '{key}'; it has: {string.Join(", ", _shape.Names)}.");

    /// <summary>The column names, in select order.</summary>
    public IEnumerable<string> Keys => _shape.Names;

    /// <summary>The values, in select order.</summary>
    public IEnumerable<object?> Values => _values;

    /// <inheritdoc />
    public int Count => _values.Length;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _shape.Index.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (_shape.Index.TryGetValue(key, out var i))
        {
            value = _values[i];
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>The value of <paramref name="column"/> converted to <typeparamref name="T"/> (null stays default).</summary>
    public T? Get<T>(string column)
    {
        var value = this[column];
        return value is null ? default : value is T t ? t : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            yield return new(_shape.Names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => "{" + string.Join(", ", this.Select(p => $"{p.Key}: {p.Value ?? "null"}")) + "}";
}

/// <summary>Column names of a result set, shared by its rows.</summary>
internal sealed class RowShape
{
    public RowShape(string[] names)
    {
        Names = names;
        Index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            Index.TryAdd(names[i], i);
        }
    }

    public string[] Names { get; }

    public Dictionary<string, int> Index { get; }
}
