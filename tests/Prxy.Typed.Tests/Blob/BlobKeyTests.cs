using System.Text;

namespace Prxy.Typed.Tests.Blob;

public sealed class BlobKeyTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("reports/2026/12/a.json")]
    [InlineData(".hidden/.dotfile")]
    [InlineData("..data")]
    [InlineData("a..b/c")]
    [InlineData("console/contact.txt")]
    [InlineData("COM10")]
    [InlineData("LPT0.txt")]
    [InlineData("données/日本語/🚀")]
    [InlineData("with space/and+plus&amp=eq?q#hash%25")]
    public void Accepts_ordinary_keys(string key)
    {
        BlobKey.Validate(key);
        Assert.True(BlobKey.IsValid(key));
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("/etc/passwd", "starts with '/'")]
    [InlineData("../x", "segment 1 ('..') is '.' or '..'")]
    [InlineData("a/../../x", "segment 2 ('..')")]
    [InlineData("a/./x", "segment 2 ('.')")]
    [InlineData("a\\..\\x", "backslash at index 1")]
    [InlineData("\\\\srv\\s", "backslash at index 0")]
    [InlineData("C:\\x", "':' at index 1")]
    [InlineData("a:b", "':' at index 1")]
    [InlineData("a\0b", "NUL character at index 1")]
    [InlineData("a\u001Fb", "control character U+001F")]
    [InlineData("a\u0085b", "control character U+0085")]
    [InlineData("a//b", "segment 2 ('') is empty")]
    [InlineData("a/", "segment 2 ('') is empty")]
    [InlineData("dir/name.", "ends with a dot or a space")]
    [InlineData("dir /name", "ends with a dot or a space")]
    [InlineData("CON", "Windows device name")]
    [InlineData("con", "Windows device name")]
    [InlineData("a/NUL.tar.gz", "Windows device name")]
    [InlineData("aux .txt", "Windows device name")]
    [InlineData("COM1", "Windows device name")]
    [InlineData("lpt9.log", "Windows device name")]
    [InlineData("COM\u00B9", "Windows device name")]
    [InlineData("PRN", "Windows device name")]
    [InlineData("a/.prxy-tmp-0123abcd", "reserved for the store's in-progress writes")]
    public void Rejects_keys_naming_the_key_and_the_rule(string key, string rule)
    {
        var error = Assert.Throws<ArgumentException>(() => BlobKey.Validate(key));

        Assert.Equal("key", error.ParamName);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Blob key '", error.Message, StringComparison.Ordinal);
        Assert.False(BlobKey.IsValid(key));
    }

    [Fact]
    public void Rejects_unpaired_surrogates_that_UTF8_cannot_carry()
    {
        // Built at run time: attribute arguments cannot hold an unpaired surrogate.
        var key = "bad" + (char)0xD800 + "surrogate";

        var error = Assert.Throws<ArgumentException>(() => BlobKey.Validate(key));
        Assert.Contains("unpaired surrogate at index 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad\\uD800surrogate", error.Message, StringComparison.Ordinal);
        BlobKey.Validate("pair-\uD83D\uDE80");
    }

    [Fact]
    public void Message_escapes_control_characters_so_logs_stay_readable()
    {
        var error = Assert.Throws<ArgumentException>(() => BlobKey.Validate("evil\0\nkey"));

        Assert.Contains("'evil\\u0000\\u000Akey'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limit_is_1024_UTF8_bytes_not_characters()
    {
        var fits = new string('a', 1022) + "é";
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(fits));
        BlobKey.Validate(fits);

        var error = Assert.Throws<ArgumentException>(() => BlobKey.Validate(new string('a', 1023) + "é"));
        Assert.Contains("1025 UTF-8 bytes long; the limit is 1024", error.Message, StringComparison.Ordinal);
        Assert.Contains("...(1024 chars)", error.Message, StringComparison.Ordinal); // long keys are shortened in messages
    }

    [Fact]
    public void Null_key_is_an_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => BlobKey.Validate(null!));
        Assert.False(BlobKey.IsValid(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("logs/")]
    [InlineData("logs/2026-1")]
    [InlineData("logs/name.")]
    [InlineData("logs/..")]
    [InlineData("a/b/c ")]
    public void Accepts_prefixes_that_can_start_a_valid_key(string prefix) => BlobKey.ValidatePrefix(prefix);

    [Theory]
    [InlineData("/", "starts with '/'")]
    [InlineData("../", "'..'")]
    [InlineData("a/../b", "'..'")]
    [InlineData("a//", "is empty")]
    [InlineData("a\\", "backslash")]
    [InlineData("c:", "':'")]
    [InlineData("CON/", "device name")]
    [InlineData("a\0", "NUL")]
    public void Rejects_prefixes_that_no_valid_key_starts_with(string prefix, string rule)
    {
        var error = Assert.Throws<ArgumentException>(() => BlobKey.ValidatePrefix(prefix));

        Assert.Equal("prefix", error.ParamName);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }
}
