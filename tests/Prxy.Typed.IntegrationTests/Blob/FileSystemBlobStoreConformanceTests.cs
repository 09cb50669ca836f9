namespace Prxy.Typed.IntegrationTests.Blob;

/// <summary>The conformance suite on <see cref="FileSystemBlobStore"/>, in a private directory per test.</summary>
public sealed class FileSystemBlobStoreConformanceTests : BlobStoreConformanceTests
{
    // The root sits inside a private parent, so "nothing written outside" means: the parent holds only the root.
    private readonly string _parent = Directory.CreateTempSubdirectory("prxy-blob-conformance-").FullName;

    private string Root => Path.Combine(_parent, "root");

    protected override IBlobStore CreateStore() => new FileSystemBlobStore(Root);

    protected override void AssertNothingWrittenOutside()
    {
        Assert.Equal([Root], Directory.EnumerateFileSystemEntries(_parent));
        Assert.False(File.Exists("/etc/pwned"));
    }

    protected override Task CleanUpAsync(IBlobStore store)
    {
        Directory.Delete(_parent, recursive: true);
        return Task.CompletedTask;
    }
}
