using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using StackExchange.Redis;
using RedisDatabase = StackExchange.Redis.IDatabase;

namespace Prxy.Typed;

/// <summary>
/// The Redis KV backend. It fails open within <see cref="RedisKvOptions.OperationTimeout"/>: the client never
/// queues commands while disconnected, every call is bounded by a timeout, and a circuit breaker answers at
/// once with the fallback while Redis is down, probing again after <see cref="RedisKvOptions.BreakDuration"/>.
/// The client reconnects in the background, so the store recovers by itself when Redis returns.
/// </summary>
public sealed class RedisKvStore : IKvStore
{
    // TTL only when this call creates the key, so a fixed-window counter is never extended.
    private const string IncrementScript = """
        local created = redis.call('exists', KEYS[1]) == 0
        local value = redis.call('incrby', KEYS[1], ARGV[1])
        if created then redis.call('pexpire', KEYS[1], ARGV[2]) end
        return value
        """;

    // Deletes the lock only while it still holds the caller's token.
    private const string ReleaseScript = """
        if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
        return 0
        """;

    private readonly ConnectionMultiplexer _connection;
    private readonly RedisDatabase _db;
    private readonly ResiliencePipeline _pipeline;
    private readonly RedisKvOptions _options;
    private readonly KvFailureLog _failures;
    private readonly string? _password;
    private volatile bool _disposed;

    private RedisKvStore(ConnectionMultiplexer connection, RedisKvOptions options, ILogger logger, string? password)
    {
        _connection = connection;
        _db = connection.GetDatabase();
        _options = options;
        _password = password;
        _failures = new KvFailureLog(logger, TimeProvider.System, options.FailureLogInterval);
        _pipeline = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = options.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsUnavailable(e)),
                OnOpened = args =>
                {
                    KvFailureLog.CircuitOpened(logger, args.BreakDuration);
                    return default;
                },
                OnClosed = _ =>
                {
                    KvFailureLog.CircuitClosed(logger);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>
    /// Connects to Redis. Never fails because Redis is down: the store then starts disconnected, every call
    /// returns its fallback, and the client keeps reconnecting in the background.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="RedisKvOptions.Configuration"/> is not a valid configuration string, or a timeout is not positive.</exception>
    public static async Task<RedisKvStore> ConnectAsync(RedisKvOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Limits);
        CheckPositive(options.OperationTimeout, nameof(options.OperationTimeout));
        CheckPositive(options.ConnectTimeout, nameof(options.ConnectTimeout));
        if (options.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            throw new ArgumentException($"RedisKvOptions.BreakDuration is {options.BreakDuration}; it must be at least 500 ms.", nameof(options));
        }

        ConfigurationOptions config;
        try
        {
            config = ConfigurationOptions.Parse(options.Configuration);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
        {
            // The parser's message may quote the string, which may hold a password.
            throw new ArgumentException("RedisKvOptions.Configuration is not a valid Redis configuration string (expected \"host:port[,password=…][,ssl=true]\"; the value is not shown because it may hold a password).", nameof(options));
        }

        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = Milliseconds(options.ConnectTimeout);
        config.SyncTimeout = Milliseconds(options.OperationTimeout);
        config.AsyncTimeout = Milliseconds(options.OperationTimeout);
        config.ConnectRetry = 1;
        config.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
        config.ClientName ??= "prxy-typed";

        var connecting = ConnectionMultiplexer.ConnectAsync(config);
        ConnectionMultiplexer connection;
        try
        {
            connection = await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The attempt finishes in the background; close what it opens.
            _ = connecting.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }

        return new RedisKvStore(connection, options, logger ?? NullLogger.Instance, config.Password);
    }

    /// <summary>True while the client holds a live connection to Redis.</summary>
    public bool IsConnected => _connection.IsConnected;

    /// <inheritdoc />
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return RunAsync(KvOperation.Get, key, (string?)null, key, static (db, key) => db.StringGetAsync(key), static value => (string?)value, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return RunAsync(KvOperation.Get, key, (byte[]?)null, key, static (db, key) => db.StringGetAsync(key), static value => (byte[]?)value, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, string value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        Check(key);
        _options.Limits.CheckValue(key, value);
        await SetCoreAsync(key, value, ttl, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, byte[] value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        Check(key);
        _options.Limits.CheckValue(key, value);
        await SetCoreAsync(key, value, ttl, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> SetNxAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        Check(key);
        _options.Limits.CheckValue(key, value);
        KvLimits.CheckTtl(ttl);
        return RunAsync(KvOperation.SetNx, key, false, (key, value, expiry: Expiry(ttl)), static (db, s) => db.StringSetAsync(s.key, s.value, s.expiry, When.NotExists), Same, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return RunAsync(KvOperation.Delete, key, false, key, static (db, key) => db.KeyDeleteAsync(key), Same, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> TtlAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return RunAsync(KvOperation.Ttl, key, -2L, key, static (db, key) => db.ExecuteAsync("TTL", (RedisKey)key), static result => (long)result, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<KvCounter> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        Check(key);
        KvLimits.CheckTtl(ttl);
        var milliseconds = (long)Math.Ceiling(ttl.TotalMilliseconds);
        return RunAsync(
            KvOperation.Increment,
            key,
            KvCounter.Unavailable,
            (key, by, milliseconds),
            static (db, s) => db.ScriptEvaluateAsync(IncrementScript, [s.key], [s.by, s.milliseconds]),
            static result => new KvCounter((long)result, true),
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<KvLease?> TryLockAsync(string name, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        Check(name, nameof(name));
        KvLimits.CheckTtl(ttl);
        var token = Guid.NewGuid().ToString("N");
        var acquired = await RunAsync(KvOperation.TryLock, name, false, (name, token, expiry: Expiry(ttl)), static (db, s) => db.StringSetAsync(s.name, s.token, s.expiry, When.NotExists), Same, cancellationToken).ConfigureAwait(false);
        return acquired ? new KvLease(name, token, ReleaseAsync) : null;
    }

    /// <inheritdoc />
    public IKvStore WithPrefix(string prefix) => PrefixedKvStore.Create(this, prefix);

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private ValueTask<bool> ReleaseAsync(string name, string token, CancellationToken cancellationToken)
        => RunAsync(KvOperation.ReleaseLock, name, false, (name, token), static (db, s) => db.ScriptEvaluateAsync(ReleaseScript, [s.name], [s.token]), static result => (long)result == 1, cancellationToken);

    private ValueTask<bool> SetCoreAsync(string key, RedisValue value, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        TimeSpan? expiry = null;
        if (ttl is { } t)
        {
            KvLimits.CheckTtl(t);
            expiry = Expiry(t);
        }

        return RunAsync(KvOperation.Set, key, false, (key, value, expiry), static (db, s) => db.StringSetAsync(s.key, s.value, s.expiry, When.Always), Same, cancellationToken);
    }

    private static T Same<T>(T value) => value;

    /// <summary>
    /// Runs one command through the circuit breaker and the time bound and maps its reply; returns <paramref name="fallback"/>
    /// when Redis is unavailable. The command and the mapping are static lambdas over <paramref name="state"/>, so a call
    /// allocates no closure.
    /// </summary>
    private async ValueTask<T> RunAsync<TState, TReply, T>(
        KvOperation operation, string key, T fallback, TState state, Func<RedisDatabase, TState, Task<TReply>> command, Func<TReply, T> map, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return map(await _pipeline.ExecuteAsync(
                static async (call, token) =>
                {
                    var pending = call.command(call.store._db, call.state);
                    try
                    {
                        // The client's own timeouts are checked on a heartbeat, so the bound is enforced here.
                        return await pending.WaitAsync(call.store._options.OperationTimeout, token).ConfigureAwait(false);
                    }
                    finally
                    {
                        if (!pending.IsCompleted)
                        {
                            _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                        }
                    }
                },
                (store: this, state, command),
                cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            _failures.Report(operation, key, e, _password);
            return fallback;
        }
        catch (RedisServerException e)
        {
            var message = _password is { Length: > 0 } ? e.Message.Replace(_password, "***", StringComparison.Ordinal) : e.Message;
            throw new InvalidOperationException($"Redis refused KV {operation} on key '{key}': {message}");
        }
    }

    private static bool IsUnavailable(Exception e) => e switch
    {
        BrokenCircuitException or RedisConnectionException or TimeoutException => true,
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("BUSY", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal),
        _ => false,
    };

    private void Check(string key, string parameterName = "key")
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _options.Limits.CheckKey(key, parameterName);
    }

    // Redis expiries are whole milliseconds; round up so a tiny TTL never means "no TTL".
    private static TimeSpan Expiry(TimeSpan ttl) => TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(ttl.TotalMilliseconds)));

    private static int Milliseconds(TimeSpan value) => (int)Math.Clamp(Math.Ceiling(value.TotalMilliseconds), 1, int.MaxValue);

    private static void CheckPositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RedisKvOptions.{name} is {value}; it must be positive.", "options");
        }
    }
}
