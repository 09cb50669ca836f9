using System.Security.Cryptography;
using System.Text;

namespace Prxy.Typed.IntegrationTests.Blob;

/// <summary>
/// The behaviour every <see cref="IBlobStore"/> backend must share. Each test works under its own random key prefix,
/// so tests running in parallel (or earlier runs against the same bucket) never see each other's keys.
/// </summary>
public abstract class BlobStoreConformanceTests : IAsyncLifetime
{
    private IBlobStore? _store;

    /// <summary>A key prefix unique to this test.</summary>
    protected string P { get; } = $"conformance-{Guid.NewGuid():N}/";

    /// <summary>The store under test, created on first use so a missing service skips the test.</summary>
    protected IBlobStore Store => _store ??= CreateStore();

    /// <summary>Creates the backend under test (may skip through <c>TestServices.Require</c>).</summary>
    protected abstract IBlobStore CreateStore();

    /// <summary>Asserts that nothing reached the storage medium outside the store (filesystem only).</summary>
    protected virtual void AssertNothingWrittenOutside()
    {
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        if (_store is null)
        {
            return;
        }

        await CleanUpAsync(_store);
        await _store.DisposeAsync();
    }

    /// <summary>Removes this test's keys; the filesystem backend deletes its whole root instead.</summary>
    protected virtual async Task CleanUpAsync(IBlobStore store)
    {
        var keys = await store.ListAsync(P).ToListAsync();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, ct) => await store.DeleteAsync(key, ct));
    }

    public static TheoryData<int> Sizes => new() { 0, 1, 1000, 5 * 1024 * 1024 };

    [SkippableTheory]
    [MemberData(nameof(Sizes))]
    public async Task Bytes_round_trip_exactly(int size)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        await Store.PutAsync(P + $"bytes-{size}", content);

        Assert.Equal(content, await Store.GetAsync(P + $"bytes-{size}"));
        await using var stream = await Store.OpenReadAsync(P + $"bytes-{size}");
        Assert.NotNull(stream);
        Assert.Equal(content, await ReadAllAsync(stream));
    }

    [SkippableFact]
    public async Task Binary_with_NULs_and_every_byte_value_round_trips()
    {
        var content = Enumerable.Range(0, 4096).Select(i => (byte)(i % 256)).Concat(new byte[300]).ToArray();
        await Store.PutAsync(P + "binary.bin", new ReadOnlyMemory<byte>(content));

        Assert.Equal(content, await Store.GetAsync(P + "binary.bin"));
    }

    [SkippableFact]
    public async Task String_is_stored_as_UTF8_without_a_byte_order_mark()
    {
        const string text = "héllo ✓ 🚀 \0 end";
        await Store.PutAsync(P + "text.txt", text);

        var stored = await Store.GetAsync(P + "text.txt");
        Assert.Equal(Encoding.UTF8.GetBytes(text), stored);
        Assert.Equal(text, Encoding.UTF8.GetString(stored!));
    }

    [SkippableFact]
    public async Task Stream_is_stored_from_its_current_position()
    {
        var content = RandomNumberGenerator.GetBytes(10_000);
        using var stream = new MemoryStream(content) { Position = 3 };
        await Store.PutAsync(P + "stream", stream);

        Assert.Equal(content[3..], await Store.GetAsync(P + "stream"));
    }

    [SkippableFact]
    public async Task Large_non_seekable_stream_round_trips_exactly()
    {
        // 12 MiB from a stream of unknown length: S3 sends it as a multipart upload (8 MiB parts).
        var content = RandomNumberGenerator.GetBytes(12 * 1024 * 1024 + 17);
        await using var stream = new ForwardOnlyStream(new MemoryStream(content));
        await Store.PutAsync(P + "large-stream.bin", stream);

        Assert.Equal(content, await Store.GetAsync(P + "large-stream.bin"));
    }

    [SkippableFact]
    public async Task Empty_non_seekable_stream_stores_an_empty_blob()
    {
        await using var stream = new ForwardOnlyStream(new MemoryStream());
        await Store.PutAsync(P + "empty-stream", stream);

        var stored = await Store.GetAsync(P + "empty-stream");
        Assert.NotNull(stored);
        Assert.Empty(stored);
    }

    [SkippableFact]
    public async Task Overwrite_replaces_the_whole_content()
    {
        await Store.PutAsync(P + "over", RandomNumberGenerator.GetBytes(50_000));
        var shorter = RandomNumberGenerator.GetBytes(10);
        await Store.PutAsync(P + "over", shorter);

        Assert.Equal(shorter, await Store.GetAsync(P + "over"));
        Assert.Equal([P + "over"], await Store.ListAsync(P).ToListAsync());
    }

    [SkippableFact]
    public async Task Missing_key_reads_as_null_and_deletes_as_a_no_op()
    {
        Assert.Null(await Store.GetAsync(P + "missing"));
        Assert.Null(await Store.OpenReadAsync(P + "missing/deeper/key"));
        await Store.DeleteAsync(P + "missing");
        await Store.DeleteAsync(P + "missing/deeper/key");
        Assert.Empty(await Store.ListAsync(P).ToListAsync());
    }

    [SkippableFact]
    public async Task Delete_removes_the_blob()
    {
        await Store.PutAsync(P + "doomed/a", "x");
        await Store.PutAsync(P + "doomed/b", "y");
        await Store.DeleteAsync(P + "doomed/a");

        Assert.Null(await Store.GetAsync(P + "doomed/a"));
        Assert.Equal("y", Encoding.UTF8.GetString((await Store.GetAsync(P + "doomed/b"))!));
        Assert.Equal([P + "doomed/b"], await Store.ListAsync(P).ToListAsync());
    }

    [SkippableFact]
    public async Task List_returns_every_key_under_prefixes_that_are_not_folder_boundaries()
    {
        var keys = Enumerable.Range(0, 2500).Select(i => P + $"list/{i:D4}.json").ToList();
        keys.Add(P + "listz/x"); // siblings sort the same by key and by folder walk (the test server pages in walk order)
        keys.Add(P + "lisp");
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, ct) => await Store.PutAsync(key, key, ct));

        var all = await Store.ListAsync(P + "list/").ToListAsync();
        Assert.Equal(2500, all.Count);
        Assert.Equal(keys.Take(2500).Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));

        var ones = await Store.ListAsync(P + "list/1").ToListAsync();
        Assert.Equal(Enumerable.Range(1000, 1000).Select(i => P + $"list/{i:D4}.json"), ones.Order(StringComparer.Ordinal));

        var partialSegment = await Store.ListAsync(P + "lis").ToListAsync();
        Assert.Equal(2502, partialSegment.Count);
        Assert.Contains(P + "listz/x", partialSegment);
        Assert.Contains(P + "lisp", partialSegment);

        Assert.Equal([P + "list/0042.json"], await Store.ListAsync(P + "list/0042.").ToListAsync());
        Assert.Empty(await Store.ListAsync(P + "list/9").ToListAsync());
    }

    public static TheoryData<string> UnusualKeys => new()
    {
        "données/日本語/emoji-🚀.txt",
        "spaces in name/and+plus & amp=eq?q#hash%25.txt",
        "ünïcödé",
        ".hidden/.dotfile",
        "..data",
    };

    [SkippableTheory]
    [MemberData(nameof(UnusualKeys))]
    public async Task Non_ASCII_and_unusual_keys_round_trip_list_and_delete(string name)
    {
        var key = P + name;
        await Store.PutAsync(key, "content of " + name);

        Assert.Equal("content of " + name, Encoding.UTF8.GetString((await Store.GetAsync(key))!));
        Assert.Equal([key], await Store.ListAsync(P).ToListAsync());
        await Store.DeleteAsync(key);
        Assert.Null(await Store.GetAsync(key));
    }

    public static TheoryData<string, string> TraversalKeys => new()
    {
        { "../", "'..'" },
        { "../x", "'..'" },
        { "a/../../x", "'..'" },
        { "/etc/passwd", "starts with '/'" },
        { "C:\\x", "':'" },
        { "\\\\srv\\s", "backslash" },
        { "a\\..\\x", "backslash" },
        { "a\0b", "NUL" },
        { "CON", "device name" },
        { "aux.txt", "device name" },
        { "dir/lpt1", "device name" },
        { "a:b", "':'" },
        { "trailing.", "dot or a space" },
        { "trailing ", "dot or a space" },
        { "a//b", "empty" },
        { "a/", "empty" },
        { "", "empty" },
        { "./x", "'.'" },
        { "tab\there", "control character" },
        { ".prxy-tmp-0123", "reserved" },
    };

    [SkippableTheory]
    [MemberData(nameof(TraversalKeys))]
    public async Task Keys_that_could_escape_or_misbehave_are_refused_by_every_operation(string key, string rule)
    {
        _ = Store; // skip before asserting when the backend is not available
        var put = await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, "pwned"));
        Assert.Contains(rule, put.Message, StringComparison.Ordinal);
        Assert.Contains("Blob key '", put.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream([1])));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key));

        AssertNothingWrittenOutside();
    }

    [SkippableFact]
    public async Task Key_longer_than_1024_UTF8_bytes_is_refused_and_1024_is_accepted()
    {
        // Segments of 99 bytes: filesystems limit one name to 255 bytes, S3 only the whole key.
        var head = P + string.Join('/', Enumerable.Repeat(new string('k', 99), 9)) + "/";
        var fits = head + new string('k', 1024 - Encoding.UTF8.GetByteCount(head) - 2) + "é"; // é is two bytes
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(fits));
        var tooLong = fits + "x";

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(tooLong, "x"));
        Assert.Contains("1025 UTF-8 bytes", error.Message, StringComparison.Ordinal);
        await Store.PutAsync(fits, "x");
        Assert.Equal("x"u8.ToArray(), await Store.GetAsync(fits));
    }

    [SkippableFact]
    public async Task Prefixes_that_could_escape_are_refused()
    {
        _ = Store;
        Assert.Throws<ArgumentException>(() => Store.ListAsync("../"));
        Assert.Throws<ArgumentException>(() => Store.ListAsync("/etc"));
        Assert.Throws<ArgumentException>(() => Store.ListAsync("a\\b"));
        Assert.Throws<ArgumentException>(() => Store.ListAsync("a/../"));
        await Store.PutAsync(P + "..data", "x");
        Assert.Equal([P + "..data"], await Store.ListAsync(P + "..").ToListAsync());
    }

    [SkippableFact]
    public async Task Cancelled_read_throws_instead_of_pretending_the_key_is_missing()
    {
        await Store.PutAsync(P + "present", "x");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetAsync(P + "present", cancelled.Token));
    }

    protected static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>A stream that hides its length and cannot seek, like a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 70_000));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
