using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Prxy.Typed.Testing;

namespace Prxy.Typed.IntegrationTests.Services;

/// <summary>The test S3 server that eng/services.sh starts stores and returns objects byte for byte.</summary>
public sealed class S3ServiceTests
{
    [SkippableFact]
    public async Task Put_then_get_returns_identical_bytes()
    {
        var config = new AmazonS3Config
        {
            ServiceURL = TestServices.S3Endpoint,
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(10),
            MaxErrorRetry = 0,
        };
        using var s3 = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), config);

        // Every byte value, in a body larger than one chunk of the SDK's streaming upload (64 KiB).
        var body = new byte[200_003];
        new Random(42).NextBytes(body);
        for (var i = 0; i < 256; i++)
        {
            body[i] = (byte)i;
        }

        var key = $"smoke/{Guid.NewGuid():N}.bin";
        using (var content = new MemoryStream(body, writable: false))
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = TestServices.S3Bucket,
                Key = key,
                InputStream = content,
                UseChunkEncoding = false,
            });
        }

        using var response = await s3.GetObjectAsync(TestServices.S3Bucket, key);
        using var read = new MemoryStream();
        await response.ResponseStream.CopyToAsync(read);
        Assert.Equal(body.Length, read.Length);
        Assert.True(body.AsSpan().SequenceEqual(read.ToArray()), "the object read back differs from the bytes written");

        await s3.DeleteObjectAsync(TestServices.S3Bucket, key);
    }
}
