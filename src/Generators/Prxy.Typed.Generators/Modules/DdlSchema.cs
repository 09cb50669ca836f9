using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Prxy.Typed.Generators.Common;

namespace Prxy.Typed.Generators.Modules
{
    /// <summary>A column as the migrations leave it.</summary>
    internal sealed class DdlColumn
    {
        public DdlColumn(string name, string type, bool notNull, bool primaryKey)
        {
            Name = name;
            Type = type;
            NotNull = notNull;
            PrimaryKey = primaryKey;
        }

        public string Name { get; set; }

        /// <summary>Canonical lowercase type text (<c>bigint</c>, <c>double precision</c>, <c>vector(384)</c>); empty when none was given.</summary>
        public string Type { get; set; }

        public bool NotNull { get; set; }

        public bool PrimaryKey { get; set; }
    }

    /// <summary>A table as the migrations leave it.</summary>
    internal sealed class DdlTable
    {
        public DdlTable(string name) => Name = name;

        public string Name { get; set; }

        public List<DdlColumn> Columns { get; } = new();

        /// <summary>A statement changed this table in a way the parser did not follow; its columns are not checked.</summary>
        public bool Uncertain { get; set; }

        public DdlColumn? Find(string column) => Columns.FirstOrDefault(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Replays one dialect's migration DDL (CREATE TABLE, ALTER TABLE ADD/DROP/RENAME/ALTER COLUMN, RENAME TO,
    /// DROP TABLE) into the tables and columns it leaves. Statements that cannot change a table's columns (indexes,
    /// extensions, data changes, …) are ignored; statements it cannot follow are returned by <see cref="Apply"/> as
    /// not understood and make the affected tables (or, when unknown, every table) unchecked.
    /// </summary>
    internal sealed class DdlSchema
    {
        private static readonly HashSet<string> ColumnConstraintWords = new(StringComparer.Ordinal)
        {
            "not", "null", "primary", "unique", "default", "check", "references", "constraint", "collate",
            "generated", "autoincrement", "on", "deferrable", "initially", "as", "stored", "virtual", "using",
        };

        private static readonly HashSet<string> TableConstraintWords = new(StringComparer.Ordinal)
        {
            "constraint", "primary", "unique", "check", "foreign", "exclude", "like",
        };

        private readonly Dictionary<string, DdlTable> _tables = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Set by a statement whose effect is unknown: nothing can be checked with confidence.</summary>
        public bool AllUncertain { get; private set; }

        public DdlTable? Find(string table) => _tables.TryGetValue(table, out var t) ? t : null;

        /// <summary>Applies one statement; returns the name of what it did not understand ("all tables" or a table), or null.</summary>
        public string? Apply(string statement)
        {
            var tokens = SqlTokens.Read(statement);
            if (tokens.Count == 0)
            {
                return null;
            }

            var reader = new TokenReader(tokens);
            try
            {
                if (reader.Accept("create"))
                {
                    reader.Accept("or", "replace");
                    while (reader.Accept("temp") || reader.Accept("temporary") || reader.Accept("unlogged") || reader.Accept("global") || reader.Accept("local"))
                    {
                    }

                    if (reader.Accept("table"))
                    {
                        return CreateTable(reader);
                    }

                    return IsIgnoredCreate(reader.Peek()) ? null : Unknown();
                }

                if (reader.Accept("alter", "table"))
                {
                    return AlterTable(reader);
                }

                if (reader.Accept("drop", "table"))
                {
                    reader.Accept("if", "exists");
                    do
                    {
                        _tables.Remove(reader.QualifiedName());
                    }
                    while (reader.Accept(","));
                    return null;
                }

                return IsIgnoredStatement(reader.Peek()) ? null : Unknown();
            }
            catch (FormatException)
            {
                return Unknown();
            }
        }

        private string Unknown()
        {
            AllUncertain = true;
            return "all tables";
        }

        private static bool IsIgnoredCreate(string? word) => word is "index" or "unique" or "extension" or "view" or "materialized"
            or "function" or "procedure" or "trigger" or "sequence" or "type" or "schema" or "role" or "policy" or "domain"
            or "statistics" or "aggregate" or "operator" or "collation" or "publication" or "virtual";

        private static bool IsIgnoredStatement(string? word) => word is "drop" or "insert" or "update" or "delete" or "select"
            or "with" or "comment" or "grant" or "revoke" or "analyze" or "vacuum" or "reindex" or "pragma" or "set" or "reset"
            or "refresh" or "cluster" or "notify" or "truncate" or "begin" or "commit" or "end";

        private string? CreateTable(TokenReader reader)
        {
            var ifNotExists = reader.Accept("if", "not", "exists");
            var name = reader.QualifiedName();
            if (!reader.Accept("("))
            {
                // CREATE TABLE … AS SELECT, … OF type, … PARTITION OF: columns unknown.
                _tables[name] = new DdlTable(name) { Uncertain = true };
                return name;
            }

            if (ifNotExists && _tables.ContainsKey(name))
            {
                return null;
            }

            var table = new DdlTable(name);
            string? notUnderstood = null;
            foreach (var element in reader.SplitUntilClose())
            {
                var part = new TokenReader(element);
                if (TableConstraintWords.Contains(part.Peek() ?? string.Empty))
                {
                    if (part.Peek() == "like")
                    {
                        table.Uncertain = true;
                        notUnderstood = name;
                    }

                    ApplyTableConstraint(table, part);
                    continue;
                }

                var column = ReadColumn(part);
                table.Columns.RemoveAll(c => string.Equals(c.Name, column.Name, StringComparison.OrdinalIgnoreCase));
                table.Columns.Add(column);
            }

            _tables[name] = table;
            return notUnderstood;
        }

        private static void ApplyTableConstraint(DdlTable table, TokenReader part)
        {
            if (part.Accept("constraint"))
            {
                part.Name();
            }

            if (part.Accept("primary", "key") && part.Accept("("))
            {
                foreach (var column in part.SplitUntilClose())
                {
                    if (column.Count > 0 && table.Find(column[0].Text) is { } c)
                    {
                        c.NotNull = true;
                        c.PrimaryKey = true;
                    }
                }
            }
        }

        private static DdlColumn ReadColumn(TokenReader part)
        {
            var name = part.Name();
            var type = new StringBuilder();
            while (!part.AtEnd && !ColumnConstraintWords.Contains(part.Peek()!))
            {
                var token = part.Next();
                if (token.Text == "(")
                {
                    type.Append('(').Append(string.Join(",", part.SplitUntilClose().Select(t => string.Join(" ", t.Select(x => x.Text))))).Append(')');
                }
                else if (token.Text == "[")
                {
                    type.Append("[]");
                    part.Accept("]");
                }
                else
                {
                    if (type.Length > 0)
                    {
                        type.Append(' ');
                    }

                    type.Append(token.Text);
                }
            }

            var column = new DdlColumn(name, SqlTypes.Canonical(type.ToString()), notNull: false, primaryKey: false);
            while (!part.AtEnd)
            {
                if (part.Accept("not", "null"))
                {
                    column.NotNull = true;
                }
                else if (part.Accept("primary", "key"))
                {
                    column.NotNull = true;
                    column.PrimaryKey = true;
                }
                else if (part.Peek() == "(")
                {
                    part.Next();
                    part.SplitUntilClose();
                }
                else
                {
                    part.Next();
                }
            }

            return column;
        }

        private string? AlterTable(TokenReader reader)
        {
            reader.Accept("if", "exists");
            reader.Accept("only");
            var name = reader.QualifiedName();
            var table = Find(name);
            if (table is null)
            {
                // Altering a table the migrations did not create (or created in a way not followed).
                return null;
            }

            foreach (var action in reader.SplitTopLevel())
            {
                var part = new TokenReader(action);
                if (part.Accept("add"))
                {
                    if (part.Peek() is "constraint" or "primary" or "unique" or "check" or "foreign" or "exclude")
                    {
                        ApplyTableConstraint(table, part);
                        continue;
                    }

                    part.Accept("column");
                    var ifNotExists = part.Accept("if", "not", "exists");
                    var column = ReadColumn(part);
                    if (!(ifNotExists && table.Find(column.Name) is not null))
                    {
                        table.Columns.RemoveAll(c => string.Equals(c.Name, column.Name, StringComparison.OrdinalIgnoreCase));
                        table.Columns.Add(column);
                    }
                }
                else if (part.Accept("drop"))
                {
                    if (part.Peek() is "constraint")
                    {
                        continue;
                    }

                    part.Accept("column");
                    part.Accept("if", "exists");
                    var column = part.Name();
                    table.Columns.RemoveAll(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase));
                }
                else if (part.Accept("rename", "to"))
                {
                    var newName = part.QualifiedName();
                    _tables.Remove(table.Name);
                    table.Name = newName;
                    _tables[newName] = table;
                }
                else if (part.Accept("rename"))
                {
                    if (part.Accept("constraint"))
                    {
                        continue;
                    }

                    part.Accept("column");
                    var from = part.Name();
                    part.Expect("to");
                    var to = part.Name();
                    if (table.Find(from) is { } column)
                    {
                        column.Name = to;
                    }
                }
                else if (part.Accept("alter"))
                {
                    part.Accept("column");
                    var column = table.Find(part.Name());
                    if (part.Accept("set", "not", "null"))
                    {
                        if (column is not null)
                        {
                            column.NotNull = true;
                        }
                    }
                    else if (part.Accept("drop", "not", "null"))
                    {
                        if (column is not null)
                        {
                            column.NotNull = false;
                        }
                    }
                    else if (part.Accept("type") || part.Accept("set", "data", "type"))
                    {
                        var type = ReadColumn(new TokenReader(new[] { new SqlToken("x", false) }.Concat(part.Rest()).ToList()));
                        if (column is not null)
                        {
                            column.Type = type.Type;
                        }
                    }
                    else if (!(part.Accept("set", "default") || part.Accept("drop", "default") || part.Accept("set", "statistics") || part.Accept("set", "storage")))
                    {
                        table.Uncertain = true;
                        return table.Name;
                    }
                }
                else if (part.Peek() is "owner" or "set" or "reset" or "enable" or "disable" or "force" or "no" or "cluster" or "inherit" or "validate" or "replica" or "attach" or "detach")
                {
                    // Storage, ownership and policy settings leave the columns as they are.
                }
                else
                {
                    table.Uncertain = true;
                    return table.Name;
                }
            }

            return null;
        }
    }

    /// <summary>Canonical SQL type names and what each stored kind accepts per dialect.</summary>
    internal static class SqlTypes
    {
        private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
        {
            ["int"] = "integer", ["int4"] = "integer", ["serial"] = "integer", ["serial4"] = "integer",
            ["int8"] = "bigint", ["bigserial"] = "bigint", ["serial8"] = "bigint",
            ["int2"] = "smallint", ["smallserial"] = "smallint", ["serial2"] = "smallint",
            ["float8"] = "double precision", ["float"] = "double precision",
            ["float4"] = "real", ["bool"] = "boolean", ["decimal"] = "numeric",
            ["timestamptz"] = "timestamp with time zone", ["varchar"] = "character varying",
            ["char"] = "character", ["bpchar"] = "character",
        };

        /// <summary>Lowercase, single spaces, aliases resolved; modifiers kept (<c>numeric(10,2)</c>, <c>vector(384)</c>).</summary>
        public static string Canonical(string type)
        {
            var text = type.Trim().ToLowerInvariant();
            var paren = text.IndexOf('(');
            var baseName = paren < 0 ? text : text.Substring(0, paren).Trim();
            var modifiers = paren < 0 ? string.Empty : text.Substring(paren);
            return (Aliases.TryGetValue(baseName, out var alias) ? alias : baseName) + modifiers;
        }

        public static string BaseName(string type)
        {
            var paren = type.IndexOf('(');
            return (paren < 0 ? type : type.Substring(0, paren)).Trim();
        }

        /// <summary>The type a new column of this kind gets (what the DDL in messages uses).</summary>
        public static string Expected(ColumnKind kind, bool postgres, int dimensions) => postgres
            ? kind switch
            {
                ColumnKind.String => "text",
                ColumnKind.Boolean => "boolean",
                ColumnKind.Int16 => "smallint",
                ColumnKind.Int32 or ColumnKind.Enum => "integer",
                ColumnKind.Int64 => "bigint",
                ColumnKind.Single => "real",
                ColumnKind.Double => "double precision",
                ColumnKind.Decimal => "numeric",
                ColumnKind.Guid => "uuid",
                ColumnKind.DateTimeOffset or ColumnKind.DateTime => "timestamptz",
                ColumnKind.Bytes => "bytea",
                ColumnKind.Json => "jsonb",
                _ => "vector(" + dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")",
            }
            : kind switch
            {
                ColumnKind.String or ColumnKind.Decimal or ColumnKind.Guid or ColumnKind.Json => "TEXT",
                ColumnKind.Single or ColumnKind.Double => "REAL",
                ColumnKind.Bytes or ColumnKind.Vector => "BLOB",
                _ => "INTEGER",
            };

        /// <summary>Whether a column of <paramref name="type"/> can hold the kind.</summary>
        public static bool Fits(ColumnKind kind, string type, bool postgres, int dimensions)
        {
            if (!postgres)
            {
                var affinity = SqliteAffinity(type);
                return kind switch
                {
                    ColumnKind.String or ColumnKind.Decimal or ColumnKind.Guid or ColumnKind.Json => affinity == "TEXT",
                    ColumnKind.Single or ColumnKind.Double => affinity is "REAL" or "NUMERIC",
                    ColumnKind.Bytes or ColumnKind.Vector => affinity == "BLOB",
                    _ => affinity is "INTEGER" or "NUMERIC",
                };
            }

            var name = BaseName(type);
            return kind switch
            {
                ColumnKind.String => name is "text" or "character varying" or "character" or "citext" or "name",
                ColumnKind.Boolean => name == "boolean",
                ColumnKind.Int16 => name == "smallint",
                ColumnKind.Int32 => name == "integer",
                ColumnKind.Int64 => name == "bigint",
                ColumnKind.Enum => name is "smallint" or "integer" or "bigint",
                ColumnKind.Single => name == "real",
                ColumnKind.Double => name == "double precision",
                ColumnKind.Decimal => name == "numeric",
                ColumnKind.Guid => name == "uuid",
                ColumnKind.DateTimeOffset or ColumnKind.DateTime => name == "timestamp with time zone",
                ColumnKind.Bytes => name == "bytea",
                ColumnKind.Json => name is "jsonb" or "json",
                _ => name == "vector" && type == "vector(" + dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")",
            };
        }

        /// <summary>SQLite's column affinity rules (datatype3.html, section 3.1), in their order.</summary>
        public static string SqliteAffinity(string type)
        {
            var upper = type.ToUpperInvariant();
            if (upper.Contains("INT"))
            {
                return "INTEGER";
            }

            if (upper.Contains("CHAR") || upper.Contains("CLOB") || upper.Contains("TEXT"))
            {
                return "TEXT";
            }

            if (upper.Length == 0 || upper.Contains("BLOB"))
            {
                return "BLOB";
            }

            if (upper.Contains("REAL") || upper.Contains("FLOA") || upper.Contains("DOUB"))
            {
                return "REAL";
            }

            return "NUMERIC";
        }

        /// <summary>A DEFAULT clause for adding a NOT NULL column to a table that has rows; empty when none is obvious.</summary>
        public static string DefaultClause(ColumnKind kind, bool postgres) => kind switch
        {
            ColumnKind.String => " DEFAULT ''",
            ColumnKind.Boolean => postgres ? " DEFAULT false" : " DEFAULT 0",
            ColumnKind.Int16 or ColumnKind.Int32 or ColumnKind.Int64 or ColumnKind.Enum or ColumnKind.Single or ColumnKind.Double => " DEFAULT 0",
            ColumnKind.Decimal => postgres ? " DEFAULT 0" : " DEFAULT '0'",
            ColumnKind.DateTimeOffset or ColumnKind.DateTime => postgres ? " DEFAULT now()" : " DEFAULT 0",
            ColumnKind.Guid => postgres ? " DEFAULT gen_random_uuid()" : string.Empty,
            _ => string.Empty,
        };
    }
}
