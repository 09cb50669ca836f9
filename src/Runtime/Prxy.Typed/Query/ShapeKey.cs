using System.Globalization;

namespace Prxy.Typed;

/// <summary>
/// The cache key of a query shape, written into a buffer reused per thread so that looking up an already cached shape
/// allocates nothing. Rent one with <see cref="Rent"/>; <see cref="SqlDialect.Statement{TState}"/> takes it back.
/// </summary>
internal sealed class ShapeKey
{
    [ThreadStatic]
    private static ShapeKey? t_free;

    private char[] _chars = new char[256];
    private int _length;

    /// <summary>An empty key (the thread's reused one when it is free).</summary>
    public static ShapeKey Rent()
    {
        var key = t_free ?? new ShapeKey();
        t_free = null;
        key._length = 0;
        return key;
    }

    /// <summary>Gives the buffer back to the thread; the key must not be used after this.</summary>
    public void Release() => t_free = this;

    /// <summary>The key written so far.</summary>
    public ReadOnlySpan<char> Span => _chars.AsSpan(0, _length);

    public ShapeKey Append(char value)
    {
        Ensure(1);
        _chars[_length++] = value;
        return this;
    }

    public ShapeKey Append(string value)
    {
        Ensure(value.Length);
        value.CopyTo(_chars.AsSpan(_length));
        _length += value.Length;
        return this;
    }

    public ShapeKey Append(long value)
    {
        Ensure(20);
        value.TryFormat(_chars.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => Span.ToString();

    private void Ensure(int extra)
    {
        if (_length + extra > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + extra));
        }
    }
}
