using System.Security.Cryptography;
using System.Text;

namespace Prxy.Typed.Migrations;

/// <summary>
/// The checksum the ledger keeps for each migration and dialect: <c>sha256:</c> followed by the lowercase hex
/// SHA-256 of the SQL as BOM-less UTF-8 with every line ending normalised to LF, so a checkout with CRLF
/// line endings yields the same checksum as one with LF.
/// </summary>
public static class MigrationChecksum
{
    /// <summary>The prefix of every checksum.</summary>
    public const string Prefix = "sha256:";

    /// <summary>Computes the checksum of <paramref name="sql"/>.</summary>
    public static string Compute(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(sql)));
        return Prefix + Convert.ToHexStringLower(hash);
    }

    /// <summary>Removes a leading byte-order mark and turns CRLF and lone CR into LF.</summary>
    public static string Normalize(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var text = sql.Length > 0 && sql[0] == '\uFEFF' ? sql[1..] : sql;
        return text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
    }
}
