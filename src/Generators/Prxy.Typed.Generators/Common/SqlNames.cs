using System.Text;

namespace Prxy.Typed.Generators.Common
{
    /// <summary>The naming rules shared by every part of the generator.</summary>
    internal static class SqlNames
    {
        /// <summary>Maximum identifier length in bytes (PostgreSQL's NAMEDATALEN - 1).</summary>
        public const int MaxIdentifierBytes = 63;

        /// <summary>UserId → user_id, HTTPStatus → http_status, Vector2D → vector2_d.</summary>
        public static string ToSnakeCase(string name)
        {
            var builder = new StringBuilder(name.Length + 8);
            for (var i = 0; i < name.Length; i++)
            {
                var ch = name[i];
                if (char.IsUpper(ch))
                {
                    var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                    var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                    var previousIsUpper = i > 0 && char.IsUpper(name[i - 1]);
                    if (i > 0 && name[i - 1] != '_' && (previousIsLowerOrDigit || (previousIsUpper && nextIsLower)))
                    {
                        builder.Append('_');
                    }

                    builder.Append(char.ToLowerInvariant(ch));
                }
                else
                {
                    builder.Append(ch);
                }
            }

            return builder.ToString();
        }

        /// <summary>True for <c>[A-Za-z_][A-Za-z0-9_]*</c> of at most 63 bytes.</summary>
        public static bool IsValidIdentifier(string? name)
        {
            if (string.IsNullOrEmpty(name) || name!.Length > MaxIdentifierBytes)
            {
                return false;
            }

            for (var i = 0; i < name.Length; i++)
            {
                var ch = name[i];
                var ok = ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (i > 0 && ch >= '0' && ch <= '9');
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
