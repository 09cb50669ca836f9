using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Prxy.Typed.Generators.Modules
{
    /// <summary>A token of a DDL statement; unquoted words are lowercased, quoted identifiers keep their case.</summary>
    internal readonly struct SqlToken
    {
        public SqlToken(string text, bool quoted)
        {
            Text = text;
            Quoted = quoted;
        }

        public string Text { get; }

        public bool Quoted { get; }

        public override string ToString() => Text;
    }

    /// <summary>Splits a statement into words, quoted identifiers, literals and punctuation, dropping comments.</summary>
    internal static class SqlTokens
    {
        public static List<SqlToken> Read(string sql)
        {
            var tokens = new List<SqlToken>();
            var i = 0;
            while (i < sql.Length)
            {
                var ch = sql[i];
                if (char.IsWhiteSpace(ch))
                {
                    i++;
                }
                else if (ch == '-' && At(sql, i + 1) == '-')
                {
                    var end = sql.IndexOf('\n', i);
                    i = end < 0 ? sql.Length : end;
                }
                else if (ch == '/' && At(sql, i + 1) == '*')
                {
                    var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = end < 0 ? sql.Length : end + 2;
                }
                else if (ch == '"' || ch == '`' || ch == '[')
                {
                    var close = ch == '[' ? ']' : ch;
                    if (ch == '[' && tokens.Count > 0 && !tokens[tokens.Count - 1].Quoted && IsWord(tokens[tokens.Count - 1].Text))
                    {
                        // text[] on PostgreSQL is an array type, not a bracket-quoted identifier.
                        tokens.Add(new SqlToken("[", false));
                        i++;
                        continue;
                    }

                    var builder = new StringBuilder();
                    var j = i + 1;
                    while (j < sql.Length)
                    {
                        if (sql[j] == close)
                        {
                            if (close != ']' && At(sql, j + 1) == close)
                            {
                                builder.Append(close);
                                j += 2;
                                continue;
                            }

                            break;
                        }

                        builder.Append(sql[j]);
                        j++;
                    }

                    tokens.Add(new SqlToken(builder.ToString(), true));
                    i = j + 1;
                }
                else if (ch == '\'')
                {
                    var j = i + 1;
                    while (j < sql.Length && !(sql[j] == '\'' && At(sql, j + 1) != '\''))
                    {
                        j += sql[j] == '\'' ? 2 : 1;
                    }

                    tokens.Add(new SqlToken(sql.Substring(i, Math.Min(j + 1, sql.Length) - i), false));
                    i = j + 1;
                }
                else if (ch == '$' && DollarEnd(sql, i) is var dollarEnd && dollarEnd > 0)
                {
                    tokens.Add(new SqlToken(sql.Substring(i, dollarEnd - i), false));
                    i = dollarEnd;
                }
                else if (char.IsLetterOrDigit(ch) || ch == '_')
                {
                    var j = i;
                    while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] == '_' || sql[j] == '$' || (sql[j] == '.' && char.IsDigit(ch))))
                    {
                        j++;
                    }

                    tokens.Add(new SqlToken(sql.Substring(i, j - i).ToLowerInvariant(), false));
                    i = j;
                }
                else
                {
                    tokens.Add(new SqlToken(ch.ToString(), false));
                    i++;
                }
            }

            return tokens;
        }

        private static bool IsWord(string text) => text.Length > 0 && (char.IsLetter(text[0]) || text[0] == '_');

        private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

        private static int DollarEnd(string sql, int start)
        {
            var j = start + 1;
            while (j < sql.Length && (char.IsLetter(sql[j]) || sql[j] == '_'))
            {
                j++;
            }

            if (j >= sql.Length || sql[j] != '$')
            {
                return -1;
            }

            var tag = sql.Substring(start, j - start + 1);
            var end = sql.IndexOf(tag, j + 1, StringComparison.Ordinal);
            return end < 0 ? sql.Length : end + tag.Length;
        }
    }

    /// <summary>A cursor over tokens with keyword matching; throws <see cref="FormatException"/> on a shape it does not know.</summary>
    internal sealed class TokenReader
    {
        private readonly IReadOnlyList<SqlToken> _tokens;
        private int _position;

        public TokenReader(IReadOnlyList<SqlToken> tokens) => _tokens = tokens;

        public bool AtEnd => _position >= _tokens.Count;

        public string? Peek() => AtEnd ? null : _tokens[_position].Quoted ? "\"" + _tokens[_position].Text : _tokens[_position].Text;

        public SqlToken Next() => AtEnd ? throw new FormatException("Unexpected end of statement.") : _tokens[_position++];

        /// <summary>Consumes the words if all of them come next (unquoted).</summary>
        public bool Accept(params string[] words)
        {
            if (_position + words.Length > _tokens.Count)
            {
                return false;
            }

            for (var k = 0; k < words.Length; k++)
            {
                var token = _tokens[_position + k];
                if (token.Quoted || !string.Equals(token.Text, words[k], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            _position += words.Length;
            return true;
        }

        public void Expect(string word)
        {
            if (!Accept(word))
            {
                throw new FormatException("Expected " + word + ".");
            }
        }

        public string Name()
        {
            var token = Next();
            if (!token.Quoted && (token.Text.Length == 0 || !(char.IsLetter(token.Text[0]) || token.Text[0] == '_')))
            {
                throw new FormatException("Expected a name, got " + token.Text + ".");
            }

            return token.Text;
        }

        /// <summary>A possibly schema-qualified name; the schema is dropped (modules own their tables by name).</summary>
        public string QualifiedName()
        {
            var name = Name();
            while (Accept("."))
            {
                name = Name();
            }

            return name;
        }

        public IReadOnlyList<SqlToken> Rest()
        {
            var rest = _tokens.Skip(_position).ToList();
            _position = _tokens.Count;
            return rest;
        }

        /// <summary>After an opening parenthesis: the comma-separated parts up to the matching close.</summary>
        public List<List<SqlToken>> SplitUntilClose()
        {
            var parts = new List<List<SqlToken>> { new() };
            var depth = 0;
            while (true)
            {
                var token = Next();
                if (!token.Quoted && token.Text == "(")
                {
                    depth++;
                }
                else if (!token.Quoted && token.Text == ")")
                {
                    if (depth == 0)
                    {
                        return parts;
                    }

                    depth--;
                }
                else if (!token.Quoted && token.Text == "," && depth == 0)
                {
                    parts.Add(new List<SqlToken>());
                    continue;
                }

                parts[parts.Count - 1].Add(token);
            }
        }

        /// <summary>The rest, split at top-level commas.</summary>
        public List<List<SqlToken>> SplitTopLevel()
        {
            var parts = new List<List<SqlToken>> { new() };
            var depth = 0;
            foreach (var token in Rest())
            {
                if (!token.Quoted && token.Text == "(")
                {
                    depth++;
                }
                else if (!token.Quoted && token.Text == ")")
                {
                    depth--;
                }
                else if (!token.Quoted && token.Text == "," && depth == 0)
                {
                    parts.Add(new List<SqlToken>());
                    continue;
                }

                parts[parts.Count - 1].Add(token);
            }

            return parts;
        }
    }
}
