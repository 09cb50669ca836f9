namespace Prxy.Typed;

/// <summary>
/// Where and how <see cref="S3BlobStore"/> connects. Works for AWS S3 (set <see cref="Region"/>), Cloudflare R2
/// (<see cref="ServiceUrl"/> <c>https://&lt;account&gt;.r2.cloudflarestorage.com</c>, <see cref="Region"/> <c>auto</c>)
/// and other S3-compatible servers (<see cref="ServiceUrl"/> plus <see cref="ForcePathStyle"/>).
/// <see cref="ToString"/> never shows the secret key.
/// </summary>
public sealed class S3BlobOptions
{
    /// <summary>The smallest part an S3 multipart upload accepts (except the last part).</summary>
    public const int MinPartSizeBytes = 5 * 1024 * 1024;

    /// <summary>The bucket holding the blobs. Required.</summary>
    public string Bucket { get; set; } = "";

    /// <summary>The service endpoint, e.g. <c>http://127.0.0.1:4568</c> or an R2 account endpoint; null for AWS S3 by region.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>
    /// The signing region (<c>auto</c> for R2, e.g. <c>eu-west-1</c> for AWS). Null: <c>us-east-1</c> with a
    /// <see cref="ServiceUrl"/>, otherwise the SDK's region chain (environment, profile).
    /// </summary>
    public string? Region { get; set; }

    /// <summary>Address buckets as <c>{endpoint}/{bucket}/{key}</c> instead of <c>{bucket}.{endpoint}/{key}</c>; most self-hosted servers need it.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>The access key id; null (together with <see cref="SecretAccessKey"/>) uses the SDK's default credential chain.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret access key. Never logged or shown by <see cref="ToString"/>.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>A session token for temporary credentials, optional.</summary>
    public string? SessionToken { get; set; }

    /// <summary>How long to wait for a connection before the attempt fails (default 3 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one HTTP request (one part of a large upload) may take (default 15 s).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries after a failed request (default 2), kept low so an outage surfaces within seconds.</summary>
    public int MaxErrorRetry { get; set; } = 2;

    /// <summary>
    /// Content up to this size is sent in one request; larger content goes as a multipart upload in parts of this size
    /// (default 8 MiB, at least <see cref="MinPartSizeBytes"/>), so a stream is never held whole in memory.
    /// </summary>
    public int PartSizeBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>True when explicit credentials are set; false means the SDK's default chain.</summary>
    public bool HasExplicitCredentials => AccessKeyId is { Length: > 0 } || SecretAccessKey is { Length: > 0 };

    /// <summary>Describes the endpoint, bucket and credential source; the secret key and session token are never included.</summary>
    public override string ToString()
    {
        var endpoint = ServiceUrl ?? "AWS S3";
        var credentials = HasExplicitCredentials ? $"access key '{AccessKeyId}' (secret hidden)" : "default credential chain";
        return $"S3BlobOptions {{ Bucket = {Bucket}, Endpoint = {endpoint}, Region = {Region ?? "(default)"}, ForcePathStyle = {ForcePathStyle}, Credentials = {credentials} }}";
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            throw new ArgumentException("S3BlobOptions.Bucket is required: set the bucket that holds the blobs.", nameof(Bucket));
        }

        if (ServiceUrl is not null && !Uri.TryCreate(ServiceUrl, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"S3BlobOptions.ServiceUrl '{ServiceUrl}' is not an absolute URL such as http://127.0.0.1:4568.", nameof(ServiceUrl));
        }

        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            throw new ArgumentException("S3BlobOptions needs both AccessKeyId and SecretAccessKey, or neither (to use the SDK's default credential chain).", nameof(AccessKeyId));
        }

        if (PartSizeBytes < MinPartSizeBytes)
        {
            throw new ArgumentException($"S3BlobOptions.PartSizeBytes is {PartSizeBytes}; S3 needs at least {MinPartSizeBytes} (5 MiB).", nameof(PartSizeBytes));
        }

        if (ConnectTimeout <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || MaxErrorRetry < 0)
        {
            throw new ArgumentException("S3BlobOptions.ConnectTimeout and RequestTimeout must be positive and MaxErrorRetry not negative.", nameof(RequestTimeout));
        }
    }
}
