namespace Prxy.Typed.Generators
{
    /// <summary>Identity written into [GeneratedCode] of every generated member.</summary>
    internal static class GeneratorInfo
    {
        public const string Name = "Prxy.Typed.Generators";

        /// <summary>Kept in step with the package version (Directory.Build.props).</summary>
        public const string Version = "0.1.0";
    }
}
