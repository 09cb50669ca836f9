using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Prxy.Typed.Testing;

namespace Prxy.Typed.IntegrationTests.Blob;

/// <summary>The conformance suite on <see cref="S3BlobStore"/> against the real S3 test server.</summary>
public sealed class S3BlobStoreConformanceTests : BlobStoreConformanceTests
{
    protected override IBlobStore CreateStore() => S3BlobStore.Create(Options());

    /// <summary>Removes this test's keys in batches of 1,000 (one request each instead of one per key).</summary>
    protected override async Task CleanUpAsync(IBlobStore store)
    {
        var keys = await store.ListAsync(P).ToListAsync();
        var options = Options();
        using var client = new AmazonS3Client(
            new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey),
            new AmazonS3Config { ServiceURL = options.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        foreach (var batch in keys.Chunk(1000))
        {
            await client.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = options.Bucket,
                Objects = batch.Select(k => new KeyVersion { Key = k }).ToList(),
            });
        }
    }

    private static S3BlobOptions Options() => new()
    {
        ServiceUrl = TestServices.S3Endpoint,
        Bucket = TestServices.S3Bucket,
        ForcePathStyle = true,
        AccessKeyId = PrivateS3.AccessKey,
        SecretAccessKey = PrivateS3.AccessKey,
    };
}
