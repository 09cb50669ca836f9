using System.Reflection;
using System.Runtime.Loader;

namespace Prxy.Typed.Migrations.Tool;

/// <summary>Finds the <c>[PrxyModule]</c> class of a built module assembly and reads its generated <c>Ledger</c>.</summary>
internal static class ModuleLoader
{
    public static MigrationLedger LoadLedger(string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new InvalidOperationException($"Module assembly '{assemblyPath}' does not exist; build the module project first.");
        }

        // The module's own dependencies resolve from its output folder; Prxy.Typed and Prxy.Typed.Migrations are
        // already loaded by the tool, so the ledger's types are the tool's types.
        var resolver = new AssemblyDependencyResolver(assemblyPath);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } path ? context.LoadFromAssemblyPath(path) : null;
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath);

        var modules = assembly.GetTypes()
            .Where(t => t.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "Prxy.Typed.PrxyModuleAttribute"))
            .ToList();
        if (modules.Count != 1)
        {
            throw new InvalidOperationException($"'{assemblyPath}' declares {modules.Count} [PrxyModule] classes; expected exactly one.");
        }

        var property = modules[0].GetProperty("Ledger", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"'{modules[0].FullName}' has no generated Ledger; does the module project reference Prxy.Typed.Migrations?");
        return property.GetValue(null) as MigrationLedger
            ?? throw new InvalidOperationException($"'{modules[0].FullName}.Ledger' is not a MigrationLedger of this tool's Prxy.Typed.Migrations version.");
    }
}
