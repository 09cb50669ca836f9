using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Prxy.Typed.Tests.Blob;

/// <summary>
/// What only the filesystem backend can get wrong: symbolic links out of the root, crashes mid-write, readers racing
/// writers, and keys that are also folders. The shared behaviour is in the conformance suite (integration tests).
/// </summary>
public sealed class FileSystemBlobStoreTests : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("prxy-blob-fs-").FullName;

    private string Root => Path.Combine(_parent, "root");

    private string Outside => Path.Combine(_parent, "outside");

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    [Fact]
    public async Task Key_maps_to_a_file_under_the_root_and_the_root_is_created()
    {
        await using var store = new FileSystemBlobStore(Root);
        await store.PutAsync("reports/2026/a.json", "{}");

        Assert.Equal("{}", await File.ReadAllTextAsync(Path.Combine(Root, "reports", "2026", "a.json")));
        Assert.Equal(Root, store.Root);
    }

    [Fact]
    public void Default_root_is_prxy_blob_in_the_home_directory()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".prxy", "blob"), FileSystemBlobStore.DefaultRoot);
    }

    [SkippableFact]
    public async Task Symbolic_link_to_a_folder_outside_the_root_is_refused_and_nothing_is_written_there()
    {
        Skip.If(OperatingSystem.IsWindows(), "creating symbolic links needs developer mode on Windows");
        Directory.CreateDirectory(Outside);
        await File.WriteAllTextAsync(Path.Combine(Outside, "secret.txt"), "secret");
        await using var store = new FileSystemBlobStore(Root);
        Directory.CreateSymbolicLink(Path.Combine(Root, "escape"), Outside);

        var put = await Assert.ThrowsAsync<BlobStoreException>(() => store.PutAsync("escape/planted.txt", "pwned"));
        Assert.Contains("'escape' is a symbolic link", put.Message, StringComparison.Ordinal);
        Assert.Contains("outside the store's root", put.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<BlobStoreException>(() => store.PutAsync("escape/deeper/planted.txt", new MemoryStream([1])));
        await Assert.ThrowsAsync<BlobStoreException>(() => store.GetAsync("escape/secret.txt"));
        await Assert.ThrowsAsync<BlobStoreException>(() => store.OpenReadAsync("escape/secret.txt"));
        await Assert.ThrowsAsync<BlobStoreException>(() => store.DeleteAsync("escape/secret.txt"));
        await Assert.ThrowsAsync<BlobStoreException>(async () => await store.ListAsync("escape/").ToListAsync());

        Assert.Equal([Path.Combine(Outside, "secret.txt")], Directory.EnumerateFileSystemEntries(Outside, "*", SearchOption.AllDirectories));
        Assert.Equal("secret", await File.ReadAllTextAsync(Path.Combine(Outside, "secret.txt")));
        Assert.Empty(await store.ListAsync().ToListAsync());
    }

    [SkippableFact]
    public async Task Symbolic_link_to_a_file_outside_the_root_is_neither_read_nor_replaced()
    {
        Skip.If(OperatingSystem.IsWindows(), "creating symbolic links needs developer mode on Windows");
        Directory.CreateDirectory(Outside);
        var secret = Path.Combine(Outside, "secret.txt");
        await File.WriteAllTextAsync(secret, "secret");
        await using var store = new FileSystemBlobStore(Root);
        File.CreateSymbolicLink(Path.Combine(Root, "link.txt"), secret);
        Directory.CreateDirectory(Path.Combine(Root, "sub"));
        File.CreateSymbolicLink(Path.Combine(Root, "sub", "relative.txt"), Path.Combine("..", "..", "outside", "secret.txt"));

        await Assert.ThrowsAsync<BlobStoreException>(() => store.GetAsync("link.txt"));
        await Assert.ThrowsAsync<BlobStoreException>(() => store.GetAsync("sub/relative.txt"));
        await Assert.ThrowsAsync<BlobStoreException>(() => store.PutAsync("link.txt", "pwned"));
        await Assert.ThrowsAsync<BlobStoreException>(() => store.DeleteAsync("sub/relative.txt"));

        Assert.Equal("secret", await File.ReadAllTextAsync(secret));
        Assert.Empty(await store.ListAsync().ToListAsync());
    }

    [SkippableFact]
    public async Task Symbolic_links_that_stay_inside_the_root_work()
    {
        Skip.If(OperatingSystem.IsWindows(), "creating symbolic links needs developer mode on Windows");
        await using var store = new FileSystemBlobStore(Root);
        await store.PutAsync("real/a.txt", "a");
        Directory.CreateSymbolicLink(Path.Combine(Root, "alias"), Path.Combine(Root, "real"));
        File.CreateSymbolicLink(Path.Combine(Root, "real", "b.txt"), "a.txt");

        Assert.Equal("a"u8.ToArray(), await store.GetAsync("alias/a.txt"));
        Assert.Equal("a"u8.ToArray(), await store.GetAsync("real/b.txt"));
        await store.PutAsync("alias/c.txt", "c");
        Assert.Equal("c", await File.ReadAllTextAsync(Path.Combine(Root, "real", "c.txt")));
        Assert.Equal(["real/a.txt", "real/b.txt", "real/c.txt"], (await store.ListAsync().ToListAsync()).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Root_reached_through_a_symbolic_link_is_not_mistaken_for_an_escape()
    {
        Skip.If(OperatingSystem.IsWindows(), "creating symbolic links needs developer mode on Windows");
        Directory.CreateDirectory(Root);
        var linkedRoot = Path.Combine(_parent, "linked-root");
        Directory.CreateSymbolicLink(linkedRoot, Root);

        await using var store = new FileSystemBlobStore(linkedRoot);
        await store.PutAsync("k", "v");

        Assert.Equal(Root, store.Root);
        Assert.Equal("v"u8.ToArray(), await store.GetAsync("k"));
        Assert.Equal(["k"], await store.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task Writer_process_killed_mid_put_leaves_the_previous_content_intact()
    {
        // A child process (this test assembly, entered through its startup hook) overwrites "big" from an endless
        // stream, reports once 8 MiB are in the temp file, and is then killed with SIGKILL mid-write.
        await using var store = new FileSystemBlobStore(Root);
        var previous = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        await store.PutAsync("data/big", previous);

        using var writer = CrashWriter.Start(Root, "data/big");
        var line = await writer.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(CrashWriter.ReadyLine, line);

        var temp = Assert.Single(Directory.GetFiles(Path.Combine(Root, "data"), ".prxy-tmp-*"));
        Assert.Equal(CrashWriter.BytesBeforeReady, new FileInfo(temp).Length); // the write really was in progress

        writer.Kill();
        await writer.WaitForExitAsync();

        Assert.Equal(previous, await store.GetAsync("data/big"));
        Assert.Equal(["data/big"], await store.ListAsync().ToListAsync()); // the abandoned temp file is not a key
        await store.PutAsync("data/big", "after the crash");
        Assert.Equal("after the crash"u8.ToArray(), await store.GetAsync("data/big"));
    }

    [Fact]
    public async Task Readers_never_see_a_partial_write()
    {
        await using var store = new FileSystemBlobStore(Root);
        var a = Enumerable.Repeat((byte)'a', 2 * 1024 * 1024).ToArray();
        var b = Enumerable.Repeat((byte)'b', 1024 * 1024 + 7).ToArray();
        await store.PutAsync("flip", a);

        using var done = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                await store.PutAsync("flip", i % 2 == 0 ? b : a);
            }

            await done.CancelAsync();
        });
        var reads = 0;
        while (!done.IsCancellationRequested)
        {
            var seen = await store.GetAsync("flip");
            Assert.NotNull(seen);
            Assert.True(seen.AsSpan().SequenceEqual(a) || seen.AsSpan().SequenceEqual(b), $"read {seen.Length} bytes that are neither version");
            reads++;
        }

        await writer;
        Assert.True(reads > 0);
    }

    [Fact]
    public async Task Key_that_is_also_a_folder_of_other_keys_cannot_be_written_and_reads_as_missing()
    {
        await using var store = new FileSystemBlobStore(Root);
        await store.PutAsync("a/b", "inner");
        await store.PutAsync("file", "blob");

        var asFolder = await Assert.ThrowsAsync<BlobStoreException>(() => store.PutAsync("a", "outer"));
        Assert.Contains("cannot also be a folder", asFolder.Message, StringComparison.Ordinal);
        var underBlob = await Assert.ThrowsAsync<BlobStoreException>(() => store.PutAsync("file/child", "x"));
        Assert.Contains("the key 'file' is a blob", underBlob.Message, StringComparison.Ordinal);

        Assert.Null(await store.GetAsync("a"));
        Assert.Null(await store.GetAsync("file/child"));
        Assert.Null(await store.OpenReadAsync("a"));
        await store.DeleteAsync("a");
        await store.DeleteAsync("file/child");
        Assert.Equal("inner"u8.ToArray(), await store.GetAsync("a/b"));
    }

    [Fact]
    public async Task Delete_removes_folders_it_leaves_empty_but_not_the_root()
    {
        await using var store = new FileSystemBlobStore(Root);
        await store.PutAsync("x/y/z/blob", "1");
        await store.PutAsync("x/keep", "2");

        await store.DeleteAsync("x/y/z/blob");

        Assert.False(Directory.Exists(Path.Combine(Root, "x", "y")));
        Assert.True(File.Exists(Path.Combine(Root, "x", "keep")));
        await store.DeleteAsync("x/keep");
        Assert.True(Directory.Exists(Root));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
    }

    [Fact]
    public async Task Puts_racing_deletes_in_the_same_folder_all_succeed()
    {
        await using var store = new FileSystemBlobStore(Root);
        await Parallel.ForAsync(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            await store.PutAsync($"race/{i}", "v", ct);
            await store.DeleteAsync($"race/{i}", ct);
        });

        Assert.Empty(await store.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task Files_that_are_not_valid_keys_are_not_listed()
    {
        await using var store = new FileSystemBlobStore(Root);
        await store.PutAsync("ok", "1");
        await File.WriteAllTextAsync(Path.Combine(Root, "trailing."), "x");
        await File.WriteAllTextAsync(Path.Combine(Root, BlobKey.ReservedTempPrefix + "abc"), "x");
        if (!OperatingSystem.IsWindows())
        {
            await File.WriteAllTextAsync(Path.Combine(Root, "a:b"), "x");
        }

        Assert.Equal(["ok"], await store.ListAsync().ToListAsync());
    }

    [SkippableFact]
    public async Task Broken_filesystem_reads_as_null_with_a_rate_limited_log_line_and_writes_throw()
    {
        // A symbolic link loop is an I/O error that even root cannot bypass (unlike file modes).
        Skip.If(OperatingSystem.IsWindows(), "creating symbolic links needs developer mode on Windows");
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        await using var store = new FileSystemBlobStore(Root, logger);
        File.CreateSymbolicLink(Path.Combine(Root, "loop1"), "loop2");
        File.CreateSymbolicLink(Path.Combine(Root, "loop2"), "loop1");

        Assert.Null(await store.GetAsync("loop1"));
        Assert.Null(await store.OpenReadAsync("loop1/x"));
        var put = await Assert.ThrowsAsync<BlobStoreException>(() => store.PutAsync("loop1/x", "v"));
        Assert.Contains("symbolic links", put.Message, StringComparison.Ordinal);

        var line = Assert.Single(logger.Collector.GetSnapshot()); // the second failure within 10 s is not logged
        Assert.Contains("'loop1'", line.Message, StringComparison.Ordinal);
        Assert.Contains(store.Root, line.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(line.Exception);
    }
}
