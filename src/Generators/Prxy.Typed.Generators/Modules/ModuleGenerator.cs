using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Prxy.Typed.Generators.Modules
{
    /// <summary>
    /// Completes the assembly's <c>[PrxyModule]</c> class with its migration ledger and runner entry points, and
    /// checks the <c>[Table]</c> records against the schema the <c>[Migration]</c> DDL builds.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ModuleGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var modules = context.SyntaxProvider
                .ForAttributeWithMetadataName("Prxy.Typed.PrxyModuleAttribute", static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax, ModuleParser.ParseModule)
                .WithTrackingName(TrackingNames.Modules)
                .Collect();

            var migrations = context.SyntaxProvider
                .ForAttributeWithMetadataName("Prxy.Typed.MigrationAttribute", static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax, ModuleParser.ParseMigration)
                .WithTrackingName(TrackingNames.Migrations)
                .Collect();

            var tables = context.SyntaxProvider
                .ForAttributeWithMetadataName("Prxy.Typed.TableAttribute", static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax, ModuleParser.ParseTable)
                .Where(static t => t is not null)
                .Select(static (t, _) => t!)
                .WithTrackingName(TrackingNames.Tables)
                .Collect();

            var hasRuntime = context.CompilationProvider
                .Select(static (c, _) => c.GetTypeByMetadataName("Prxy.Typed.Migrations.MigrationRunner") is not null)
                .WithTrackingName(TrackingNames.HasRuntime);

            var output = modules.Combine(migrations).Combine(hasRuntime)
                .Select(static (x, _) => ModuleEmitter.Build(x.Left.Left, x.Left.Right, x.Right))
                .WithTrackingName(TrackingNames.Output);

            var schemaDiagnostics = migrations.Combine(tables)
                .Select(static (x, ct) => SchemaCheck.Run(x.Left, x.Right, ct))
                .WithTrackingName(TrackingNames.SchemaCheck);

            context.RegisterSourceOutput(output, static (spc, o) =>
            {
                foreach (var diagnostic in o.Diagnostics)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic());
                }

                if (o.HintName is not null && o.Source is not null)
                {
                    spc.AddSource(o.HintName, o.Source);
                }
            });

            context.RegisterSourceOutput(schemaDiagnostics, static (spc, diagnostics) =>
            {
                foreach (var diagnostic in diagnostics)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            });
        }

        /// <summary>Names of the pipeline steps, for caching tests.</summary>
        public static class TrackingNames
        {
            /// <summary>The parsed <c>[PrxyModule]</c> classes.</summary>
            public const string Modules = "PrxyModules";

            /// <summary>The parsed <c>[Migration]</c> classes.</summary>
            public const string Migrations = "PrxyMigrations";

            /// <summary>The <c>[Table]</c> records as the schema check sees them.</summary>
            public const string Tables = "PrxyModuleTables";

            /// <summary>Whether Prxy.Typed.Migrations is referenced.</summary>
            public const string HasRuntime = "PrxyMigrationsReferenced";

            /// <summary>The module's source and diagnostics.</summary>
            public const string Output = "PrxyModuleOutput";

            /// <summary>The schema check's diagnostics.</summary>
            public const string SchemaCheck = "PrxySchemaCheck";
        }
    }
}
