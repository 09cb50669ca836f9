namespace Prxy.Typed.Tests.Blob;

public sealed class S3BlobOptionsTests
{
    private static S3BlobOptions Valid() => new()
    {
        Bucket = "b",
        ServiceUrl = "http://127.0.0.1:4568",
        ForcePathStyle = true,
        AccessKeyId = "AKIDEXAMPLE",
        SecretAccessKey = "wJalrXUtnFEMI-very-secret",
        SessionToken = "session-token-also-secret",
    };

    [Fact]
    public void ToString_names_the_endpoint_but_never_the_secret_or_token()
    {
        var options = Valid();
        var text = options.ToString();

        Assert.Contains("http://127.0.0.1:4568", text, StringComparison.Ordinal);
        Assert.Contains("AKIDEXAMPLE", text, StringComparison.Ordinal);
        Assert.DoesNotContain(options.SecretAccessKey!, text, StringComparison.Ordinal);
        Assert.DoesNotContain(options.SessionToken!, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_ToString_names_bucket_and_endpoint_only()
    {
        var options = Valid();
        await using var store = S3BlobStore.Create(options);

        Assert.Equal("S3 bucket 'b' at http://127.0.0.1:4568/", store.ToString());
    }

    [Fact]
    public void Without_keys_the_default_credential_chain_is_used()
    {
        var options = new S3BlobOptions { Bucket = "b", Region = "eu-west-1" };

        Assert.False(options.HasExplicitCredentials);
        Assert.Contains("default credential chain", options.ToString(), StringComparison.Ordinal);
        options.Validate();
    }

    [Theory]
    [InlineData("bucket", "Bucket is required")]
    [InlineData("url", "is not an absolute URL")]
    [InlineData("half-credentials", "both AccessKeyId and SecretAccessKey")]
    [InlineData("part", "at least 5242880")]
    [InlineData("timeout", "must be positive")]
    public void Validate_names_the_setting_that_cannot_work(string broken, string expected)
    {
        var options = Valid();
        switch (broken)
        {
            case "bucket": options.Bucket = " "; break;
            case "url": options.ServiceUrl = "not a url"; break;
            case "half-credentials": options.SecretAccessKey = null; break;
            case "part": options.PartSizeBytes = 1024; break;
            case "timeout": options.RequestTimeout = TimeSpan.Zero; break;
        }

        var error = Assert.Throws<ArgumentException>(() => S3BlobStore.Create(options));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wJalrXUtnFEMI", error.Message, StringComparison.Ordinal);
    }
}
