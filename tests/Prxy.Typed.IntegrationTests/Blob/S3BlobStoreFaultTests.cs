using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Prxy.Typed.Testing;

namespace Prxy.Typed.IntegrationTests.Blob;

/// <summary>
/// Outages and bad credentials against a PRIVATE S3 server that each test starts and may kill, never the shared one.
/// </summary>
public sealed class S3BlobStoreFaultTests
{
    [SkippableFact]
    public async Task Killed_server_reads_as_null_quickly_with_a_log_line_and_writes_throw()
    {
        await using var server = await PrivateS3.StartAsync();
        var logger = new CollectingLogger();
        await using var store = S3BlobStore.Create(server.Options, logger);
        await store.PutAsync("kept/key", "before the crash");
        Assert.Equal("before the crash"u8.ToArray(), await store.GetAsync("kept/key"));

        server.Kill();

        var clock = Stopwatch.StartNew();
        Assert.Null(await store.GetAsync("kept/key"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Get took {clock.Elapsed} against a dead server.");
        Assert.Null(await store.OpenReadAsync("kept/key"));

        var line = Assert.Single(logger.Lines, l => l.Level == LogLevel.Warning); // the second failure is rate-limited
        Assert.Contains("kept/key", line.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint, line.Message, StringComparison.Ordinal);
        Assert.NotNull(line.Exception);

        var put = await Assert.ThrowsAsync<BlobStoreException>(() => store.PutAsync("kept/key", "after"));
        Assert.Contains("'kept/key'", put.Message, StringComparison.Ordinal);
        Assert.Contains($"S3 bucket '{server.Bucket}'", put.Message, StringComparison.Ordinal);
        Assert.NotNull(put.InnerException);

        await Assert.ThrowsAsync<BlobStoreException>(() => store.PutAsync("big", new MemoryStream(new byte[9 * 1024 * 1024])));
        await Assert.ThrowsAsync<BlobStoreException>(() => store.DeleteAsync("kept/key"));
        var list = await Assert.ThrowsAsync<BlobStoreException>(async () => await store.ListAsync("kept/").ToListAsync());
        Assert.Contains("prefix 'kept/'", list.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Wrong_secret_fails_writes_without_revealing_the_secret()
    {
        const string secret = "do-not-print-this-secret-4711";
        await using var server = await PrivateS3.StartAsync();
        var options = server.Options;
        options.AccessKeyId = "NOT-A-KNOWN-KEY";
        options.SecretAccessKey = secret;
        var logger = new CollectingLogger();
        await using var store = S3BlobStore.Create(options, logger);

        var put = await Assert.ThrowsAsync<BlobStoreException>(() => store.PutAsync("k", "v"));
        Assert.Null(await store.GetAsync("k"));

        var everything = string.Join('\n', put.ToString(), options.ToString(), store.ToString(), string.Join('\n', logger.Lines.Select(l => l.Message + l.Exception)));
        Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        Assert.Contains("secret hidden", options.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logger.Lines);
    }

    [SkippableFact]
    public async Task Failed_multipart_upload_keeps_the_previous_object()
    {
        await using var server = await PrivateS3.StartAsync();
        await using var store = S3BlobStore.Create(server.Options);
        await store.PutAsync("doc", "previous");

        // The stream fails after the first 8 MiB part went out: the upload must be aborted, not completed.
        var failing = new FailingStream(failAfterBytes: 9 * 1024 * 1024);
        var error = await Assert.ThrowsAsync<BlobStoreException>(() => store.PutAsync("doc", failing));
        Assert.IsType<IOException>(error.InnerException);

        Assert.Equal("previous"u8.ToArray(), await store.GetAsync("doc"));
    }

    private sealed class FailingStream(long failAfterBytes) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAfterBytes)
            {
                throw new IOException("The source broke off mid-upload.");
            }

            var n = (int)Math.Min(count, failAfterBytes - _position);
            Array.Fill(buffer, (byte)'x', offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class CollectingLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
