namespace Prxy.Typed.Generators.Tests;

/// <summary>
/// Where the test project's sources live, found from the test binaries (not [CallerFilePath], which a CI build maps to
/// "/_/…" for deterministic output).
/// </summary>
internal static class TestPaths
{
    public static string ProjectDirectory { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Prxy.Typed.Generators.Tests.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Prxy.Typed.Generators.Tests.csproj above {AppContext.BaseDirectory}.");
    }
}
