using System;
using System.Text;

namespace Prxy.Typed.Generators.Common
{
    /// <summary>A small indented writer; always writes "\n" so output is identical on every platform.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _builder = new();
        private int _indent;

        public int Indentation
        {
            get => _indent;
            set => _indent = value < 0 ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
        }

        public SourceWriter Line(string text = "")
        {
            if (text.Length > 0)
            {
                _builder.Append(' ', _indent * 4);
                _builder.Append(text);
            }

            _builder.Append('\n');
            return this;
        }

        /// <summary>Writes each line of a (raw string) block at the current indentation.</summary>
        public SourceWriter Block(string text)
        {
            foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
            {
                Line(line);
            }

            return this;
        }

        public SourceWriter Open(string text = "{")
        {
            Line(text);
            _indent++;
            return this;
        }

        public SourceWriter Close(string text = "}")
        {
            _indent--;
            Line(text);
            return this;
        }

        public override string ToString() => _builder.ToString();
    }
}
