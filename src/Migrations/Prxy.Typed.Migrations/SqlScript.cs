using System.Collections.Generic;
using System.Text;

// Compiled into the runtime (to run non-transactional migrations one statement at a time) and linked into the
// generator (to parse migration DDL), so both split a script the same way. Keep it netstandard2.0-compatible.
namespace Prxy.Typed.Migrations
{
    /// <summary>Splits a SQL script into statements at top-level semicolons.</summary>
    internal static class SqlScript
    {
        /// <summary>
        /// The script's statements, trimmed, without empty ones. Quotes ('…', "…"), dollar quotes ($tag$…$tag$) and
        /// comments are honoured; comments are kept in the text. Trigger bodies (BEGIN … END) are not recognised.
        /// </summary>
        public static List<string> Split(string script)
        {
            var statements = new List<string>();
            var current = new StringBuilder();
            var i = 0;
            while (i < script.Length)
            {
                var ch = script[i];
                var next = i + 1 < script.Length ? script[i + 1] : '\0';
                int end;
                if (ch == '\'' || ch == '"')
                {
                    end = SkipQuoted(script, i, ch);
                }
                else if (ch == '-' && next == '-')
                {
                    end = script.IndexOf('\n', i);
                    end = end < 0 ? script.Length : end;
                }
                else if (ch == '/' && next == '*')
                {
                    end = script.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                    end = end < 0 ? script.Length : end + 2;
                }
                else if (ch == '$' && TryDollarTag(script, i, out var tag))
                {
                    end = script.IndexOf(tag, i + tag.Length, System.StringComparison.Ordinal);
                    end = end < 0 ? script.Length : end + tag.Length;
                }
                else if (ch == ';')
                {
                    Flush(current, statements);
                    i++;
                    continue;
                }
                else
                {
                    end = i + 1;
                }

                current.Append(script, i, end - i);
                i = end;
            }

            Flush(current, statements);
            return statements;
        }

        private static void Flush(StringBuilder current, List<string> statements)
        {
            var text = current.ToString().Trim();
            current.Clear();
            if (text.Length > 0 && !IsOnlyComments(text))
            {
                statements.Add(text);
            }
        }

        private static bool IsOnlyComments(string text)
        {
            var i = 0;
            while (i < text.Length)
            {
                if (char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
                else if (text[i] == '-' && i + 1 < text.Length && text[i + 1] == '-')
                {
                    var end = text.IndexOf('\n', i);
                    i = end < 0 ? text.Length : end;
                }
                else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    var end = text.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                    i = end < 0 ? text.Length : end + 2;
                }
                else
                {
                    return false;
                }
            }

            return true;
        }

        private static int SkipQuoted(string script, int start, char quote)
        {
            var i = start + 1;
            while (i < script.Length)
            {
                if (script[i] == quote)
                {
                    if (i + 1 < script.Length && script[i + 1] == quote)
                    {
                        i += 2;
                        continue;
                    }

                    return i + 1;
                }

                i++;
            }

            return script.Length;
        }

        private static bool TryDollarTag(string script, int start, out string tag)
        {
            // $$ or $name$ where name is an identifier; $1 (a parameter) is not a tag.
            var i = start + 1;
            while (i < script.Length && (script[i] == '_' || char.IsLetter(script[i]) || (i > start + 1 && char.IsDigit(script[i]))))
            {
                i++;
            }

            if (i < script.Length && script[i] == '$')
            {
                tag = script.Substring(start, i - start + 1);
                return true;
            }

            tag = string.Empty;
            return false;
        }
    }
}
