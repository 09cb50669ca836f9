using System.Text.RegularExpressions;

namespace Prxy.Typed;

/// <summary>Removes secrets from connection strings and URLs before they reach a log, a message or ToString().</summary>
internal static partial class Redaction
{
    /// <summary>Masks password/secret values in <c>key=value</c> lists and the password part of URL user info.</summary>
    public static string ConnectionString(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var masked = SecretPair().Replace(text, m => m.Groups["key"].Value + "=***");
        return UrlPassword().Replace(masked, m => m.Groups["prefix"].Value + "***@");
    }

    [GeneratedRegex(@"(?<key>\b(?:password|pwd|secret|secretkey|secret_key|accesskey|access_key|token)\s*)=[^;,&]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretPair();

    [GeneratedRegex(@"(?<prefix>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@/\s]*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();
}
