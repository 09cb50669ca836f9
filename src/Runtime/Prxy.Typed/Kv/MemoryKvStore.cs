using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Prxy.Typed;

/// <summary>
/// The in-process KV backend of local mode. TTLs are honoured on every read; expired entries are swept every
/// 30 seconds on <see cref="TimeProvider"/>'s clock (inject a fake one in tests). SetNx, Increment and lock
/// release are atomic compare-and-swap operations, including over expired entries. Never unavailable.
/// </summary>
public sealed class MemoryKvStore : IKvStore
{
    /// <summary>How often expired entries are removed from memory.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly KvLimits _limits;
    private readonly ITimer _sweeper;
    private volatile bool _disposed;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock for TTLs and the sweep; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="limits">Key and value size limits; <see cref="KvLimits.Default"/> when null.</param>
    public MemoryKvStore(TimeProvider? timeProvider = null, KvLimits? limits = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _limits = limits ?? KvLimits.Default;
        _sweeper = _time.CreateTimer(static state => ((MemoryKvStore)state!).Sweep(), this, SweepInterval, SweepInterval);
    }

    /// <summary>Number of entries held in memory, expired-but-not-yet-swept ones included.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc />
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Live(key, cancellationToken)?.AsString());

    /// <inheritdoc />
    public ValueTask<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Live(key, cancellationToken)?.AsBytes());

    /// <inheritdoc />
    public ValueTask SetAsync(string key, string value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        Begin(key, cancellationToken);
        _limits.CheckValue(key, value);
        _entries[key] = new Entry(value, ExpiresAt(ttl));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, byte[] value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        Begin(key, cancellationToken);
        _limits.CheckValue(key, value);
        _entries[key] = new Entry(value.AsSpan().ToArray(), ExpiresAt(ttl));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> SetNxAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        Begin(key, cancellationToken);
        _limits.CheckValue(key, value);
        KvLimits.CheckTtl(ttl);
        return ValueTask.FromResult(TryAddOrReplaceExpired(key, new Entry(value, ExpiresAt(ttl))));
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        Begin(key, cancellationToken);
        return ValueTask.FromResult(_entries.TryRemove(key, out var removed) && !removed.IsExpired(_time.GetTimestamp()));
    }

    /// <inheritdoc />
    public ValueTask<long> TtlAsync(string key, CancellationToken cancellationToken = default)
    {
        var entry = Live(key, cancellationToken);
        if (entry is null)
        {
            return ValueTask.FromResult(-2L);
        }

        if (entry.ExpiresAt == 0)
        {
            return ValueTask.FromResult(-1L);
        }

        // Same rounding as Redis' TTL command: remaining milliseconds rounded to the nearest second.
        var remaining = _time.GetElapsedTime(_time.GetTimestamp(), entry.ExpiresAt);
        return ValueTask.FromResult(((long)remaining.TotalMilliseconds + 500) / 1000);
    }

    /// <inheritdoc />
    public ValueTask<KvCounter> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        Begin(key, cancellationToken);
        KvLimits.CheckTtl(ttl);
        while (true)
        {
            var now = _time.GetTimestamp();
            if (!_entries.TryGetValue(key, out var current) || current.IsExpired(now))
            {
                var created = new Entry(by, ExpiresAt(ttl));
                if (current is null ? _entries.TryAdd(key, created) : _entries.TryUpdate(key, created, current))
                {
                    return ValueTask.FromResult(new KvCounter(by, true));
                }

                continue;
            }

            long next;
            try
            {
                next = checked(current.AsInteger(key) + by);
            }
            catch (OverflowException)
            {
                throw new InvalidOperationException($"KV key '{key}': incrementing by {by} overflows a 64-bit integer.");
            }

            if (_entries.TryUpdate(key, new Entry(next, current.ExpiresAt), current))
            {
                return ValueTask.FromResult(new KvCounter(next, true));
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<KvLease?> TryLockAsync(string name, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        Begin(name, cancellationToken, nameof(name));
        KvLimits.CheckTtl(ttl);
        var token = Guid.NewGuid().ToString("N");
        var entry = new Entry(token, ExpiresAt(ttl));
        return ValueTask.FromResult(TryAddOrReplaceExpired(name, entry) ? new KvLease(name, token, (n, _, _) => ValueTask.FromResult(Release(n, entry))) : null);
    }

    /// <inheritdoc />
    public IKvStore WithPrefix(string prefix) => PrefixedKvStore.Create(this, prefix);

    /// <summary>Stops the sweep timer and drops every entry.</summary>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _sweeper.Dispose();
        _entries.Clear();
        return ValueTask.CompletedTask;
    }

    /// <summary>Removes every expired entry; runs on the sweep timer.</summary>
    internal void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var pair in _entries)
        {
            if (pair.Value.IsExpired(now))
            {
                // Removes only this exact entry, never one written after the scan read it.
                _entries.TryRemove(pair);
            }
        }
    }

    // Entries are compared by reference, so only the lease's own entry (its token) is ever removed.
    private bool Release(string name, Entry own) => _entries.TryRemove(KeyValuePair.Create(name, own)) && !own.IsExpired(_time.GetTimestamp());

    private bool TryAddOrReplaceExpired(string key, Entry entry)
    {
        while (true)
        {
            if (!_entries.TryGetValue(key, out var current))
            {
                if (_entries.TryAdd(key, entry))
                {
                    return true;
                }
            }
            else if (!current.IsExpired(_time.GetTimestamp()))
            {
                return false;
            }
            else if (_entries.TryUpdate(key, entry, current))
            {
                return true;
            }
        }
    }

    private Entry? Live(string key, CancellationToken cancellationToken)
    {
        Begin(key, cancellationToken);
        return _entries.TryGetValue(key, out var entry) && !entry.IsExpired(_time.GetTimestamp()) ? entry : null;
    }

    private void Begin(string key, CancellationToken cancellationToken, string parameterName = "key")
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        _limits.CheckKey(key, parameterName);
    }

    private long ExpiresAt(TimeSpan? ttl)
    {
        if (ttl is not { } value)
        {
            return 0;
        }

        KvLimits.CheckTtl(value);
        var ticks = value.TotalSeconds * _time.TimestampFrequency;
        var now = _time.GetTimestamp();
        return ticks >= long.MaxValue - now ? long.MaxValue : now + Math.Max(1, (long)ticks);
    }

    /// <summary>One immutable value: a string, a byte array or a counter; replaced, never mutated.</summary>
    private sealed class Entry(object value, long expiresAt)
    {
        public object Value { get; } = value;

        /// <summary>Timestamp (on the store's <see cref="TimeProvider"/>) when the entry expires; 0 for never.</summary>
        public long ExpiresAt { get; } = expiresAt;

        public bool IsExpired(long now) => ExpiresAt != 0 && now >= ExpiresAt;

        public string AsString() => Value switch
        {
            string s => s,
            byte[] b => Encoding.UTF8.GetString(b),
            _ => ((long)Value).ToString(CultureInfo.InvariantCulture),
        };

        public byte[] AsBytes() => Value is byte[] b ? b.AsSpan().ToArray() : Encoding.UTF8.GetBytes(AsString());

        public long AsInteger(string key) => Value is long n
            ? n
            : long.TryParse(AsString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"KV key '{key}' holds a value that is not a 64-bit integer, so it cannot be incremented. Use a separate key for the counter.");
    }
}
