using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Prxy.Typed;

/// <summary>
/// Blobs as objects in an S3-compatible bucket (AWS S3, Cloudflare R2, self-hosted servers). Requests are sent
/// without chunked payload signing and with checksums only where the protocol requires them, which R2 and most
/// S3-compatible servers need to store the bytes exactly. Content larger than <see cref="S3BlobOptions.PartSizeBytes"/>
/// is uploaded in parts, and an upload that fails is aborted, so the previous object stays in place.
/// </summary>
public sealed class S3BlobStore : IBlobStore
{
    private const int MaxKeysPerPage = 1000;

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly string _bucket;
    private readonly int _partSize;
    private readonly ILogger _logger;
    private readonly FailureLogThrottle _readFailureLog = new();
    private readonly string _backend;

    /// <summary>
    /// Wraps an existing client (for example one from dependency injection). The client's own settings apply; for R2
    /// and self-hosted servers set its request checksum calculation and response validation to "when required".
    /// </summary>
    /// <param name="client">The S3 client.</param>
    /// <param name="bucket">The bucket holding the blobs.</param>
    /// <param name="logger">Receives the rate-limited read-failure lines.</param>
    /// <param name="ownsClient">Dispose <paramref name="client"/> with this store.</param>
    /// <param name="partSizeBytes">Single-request limit and multipart part size.</param>
    public S3BlobStore(IAmazonS3 client, string bucket, ILogger? logger = null, bool ownsClient = false, int partSizeBytes = 8 * 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentOutOfRangeException.ThrowIfLessThan(partSizeBytes, S3BlobOptions.MinPartSizeBytes);
        _client = client;
        _bucket = bucket;
        _ownsClient = ownsClient;
        _partSize = partSizeBytes;
        _logger = logger ?? NullLogger.Instance;
        _backend = $"S3 bucket '{bucket}' at {client.Config.ServiceURL ?? client.Config.RegionEndpoint?.SystemName ?? "AWS S3"}";
    }

    /// <summary>Creates a store with its own client configured from <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A setting cannot work; the message names it.</exception>
    public static S3BlobStore Create(S3BlobOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            ConnectTimeout = options.ConnectTimeout,
            Timeout = options.RequestTimeout,
            MaxErrorRetry = options.MaxErrorRetry,
            RetryMode = RequestRetryMode.Standard,
        };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        var client = options.HasExplicitCredentials
            ? new AmazonS3Client(Credentials(options), config)
            : new AmazonS3Client(config);
        return new S3BlobStore(client, options.Bucket, logger, ownsClient: true, options.PartSizeBytes);
    }

    /// <inheritdoc />
    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        var stream = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        return PutStreamAsync(key, stream, cancellationToken);
    }

    /// <inheritdoc />
    public Task PutAsync(string key, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return PutAsync(key, content.AsMemory(), cancellationToken);
    }

    /// <inheritdoc />
    public Task PutAsync(string key, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return PutAsync(key, Encoding.UTF8.GetBytes(content).AsMemory(), cancellationToken);
    }

    /// <inheritdoc />
    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        BlobKey.Validate(key);
        return PutStreamAsync(key, content, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            var length = response.ContentLength;
            if (length >= 0 && length <= Array.MaxLength)
            {
                var bytes = new byte[length];
                await response.ResponseStream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                return bytes;
            }

            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (IsMissingKey(e))
        {
            return null;
        }
        catch (Exception e) when (IsUnavailable(e, cancellationToken))
        {
            LogReadFailure("get", key, e);
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        try
        {
            var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            return new S3ObjectReadStream(response);
        }
        catch (AmazonS3Exception e) when (IsMissingKey(e))
        {
            return null;
        }
        catch (Exception e) when (IsUnavailable(e, cancellationToken))
        {
            LogReadFailure("open", key, e);
            return null;
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (IsMissingKey(e))
        {
            // S3 answers a delete of a missing key with success; some compatible servers answer 404.
        }
        catch (Exception e) when (IsUnavailable(e, cancellationToken))
        {
            throw new BlobStoreException("delete", key, _backend, e);
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<string> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        BlobKey.ValidatePrefix(prefix);
        return ListCoreAsync(prefix, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => _backend;

    private static AWSCredentials Credentials(S3BlobOptions options) =>
        string.IsNullOrEmpty(options.SessionToken)
            ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey)
            : new SessionAWSCredentials(options.AccessKeyId, options.SecretAccessKey, options.SessionToken);

    private async IAsyncEnumerable<string> ListCoreAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            ListObjectsV2Response page;
            try
            {
                page = await _client.ListObjectsV2Async(
                    new ListObjectsV2Request
                    {
                        BucketName = _bucket,
                        Prefix = prefix.Length == 0 ? null : prefix,
                        ContinuationToken = continuation,
                        MaxKeys = MaxKeysPerPage,
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsUnavailable(e, cancellationToken))
            {
                throw new BlobStoreException("list", prefix, _backend, e);
            }

            foreach (var item in page.S3Objects ?? [])
            {
                // Only keys this API can read back: folder markers ("a/") and foreign names are not blobs here.
                if (BlobKey.IsValid(item.Key))
                {
                    yield return item.Key;
                }
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    private async Task PutStreamAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        try
        {
            if (content.CanSeek && content.Length - content.Position <= _partSize)
            {
                await PutObjectAsync(key, content, cancellationToken).ConfigureAwait(false);
                return;
            }

            var first = ArrayPool<byte>.Shared.Rent(_partSize);
            try
            {
                var read = await content.ReadAtLeastAsync(first.AsMemory(0, _partSize), _partSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (read < _partSize)
                {
                    using var small = new MemoryStream(first, 0, read, writable: false);
                    await PutObjectAsync(key, small, cancellationToken).ConfigureAwait(false);
                    return;
                }

                await PutMultipartAsync(key, content, first, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(first);
            }
        }
        catch (Exception e) when (IsUnavailable(e, cancellationToken))
        {
            throw new BlobStoreException("put", key, _backend, e);
        }
    }

    private Task PutObjectAsync(string key, Stream body, CancellationToken cancellationToken) =>
        _client.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = _bucket,
                Key = key,
                InputStream = body,
                AutoCloseStream = false,
                AutoResetStreamPosition = false,
                UseChunkEncoding = false,
            },
            cancellationToken);

    /// <summary>Uploads <paramref name="firstPart"/> (full) and the rest of <paramref name="content"/> part by part.</summary>
    private async Task PutMultipartAsync(string key, Stream content, byte[] firstPart, CancellationToken cancellationToken)
    {
        var upload = await _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        var parts = new List<PartETag>();
        var current = firstPart;
        var currentLength = _partSize;
        var spare = ArrayPool<byte>.Shared.Rent(_partSize);
        try
        {
            while (true)
            {
                using (var body = new MemoryStream(current, 0, currentLength, writable: false))
                {
                    var part = await _client.UploadPartAsync(
                        new UploadPartRequest
                        {
                            BucketName = _bucket,
                            Key = key,
                            UploadId = upload.UploadId,
                            PartNumber = parts.Count + 1,
                            InputStream = body,
                            PartSize = currentLength,
                            UseChunkEncoding = false,
                        },
                        cancellationToken).ConfigureAwait(false);
                    parts.Add(new PartETag(parts.Count + 1, part.ETag));
                }

                if (currentLength < _partSize)
                {
                    break;
                }

                var read = await content.ReadAtLeastAsync(spare.AsMemory(0, _partSize), _partSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                (current, spare) = (spare, current);
                currentLength = read;
            }

            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = parts },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbortQuietlyAsync(key, upload.UploadId).ConfigureAwait(false);
            throw;
        }
        finally
        {
            // The caller returns firstPart; of the two buffers in play, the other one is ours.
            ArrayPool<byte>.Shared.Return(ReferenceEquals(current, firstPart) ? spare : current);
        }
    }

    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e, CancellationToken.None))
        {
            // The bucket's lifecycle rule for incomplete uploads cleans up; the caller already gets the original error.
        }
    }

    private static bool IsMissingKey(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is null or "" or "NoSuchKey" or "NotFound";

    /// <summary>An outage or a refusal by the service, as opposed to the caller cancelling.</summary>
    private static bool IsUnavailable(Exception e, CancellationToken cancellationToken) =>
        e switch
        {
            OperationCanceledException => !cancellationToken.IsCancellationRequested, // an SDK or HTTP timeout
            AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException => true,
            _ => false,
        };

    private void LogReadFailure(string operation, string key, Exception e)
    {
        if (_readFailureLog.TryEnter(out var suppressed))
        {
            BlobLog.ReadFailed(_logger, operation, key, _backend, suppressed, e);
        }
    }
}
