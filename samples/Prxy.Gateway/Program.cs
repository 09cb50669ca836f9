using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Prxy.Gateway;
using Prxy.Gateway.Patterns;
using Prxy.Gateway.RateLimit;
using Prxy.Gateway.SemanticCache;
using Prxy.Typed;
using Spectre.Console;

// The sample gateway: opens storage (embedded default unless PRXY_* settings say otherwise), migrates every module,
// replays a bundled script of requests through rate limiting, the semantic cache and the patterns memory, and prints
// what each module decided. `--report <file>` also writes the decisions as JSON (the integration test reads it).
var reportPath = args.SkipWhile(a => a != "--report").Skip(1).FirstOrDefault();
var scriptPath = args.SkipWhile(a => a != "--script").Skip(1).FirstOrDefault() ?? Path.Combine(AppContext.BaseDirectory, "requests.json");
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var ct = cts.Token;

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
var options = StorageOptions.FromEnvironment() with { LoggerFactory = loggerFactory };
AnsiConsole.MarkupLine($"[bold]Prxy gateway[/] — storage: [blue]{Markup.Escape(options.ToString())}[/]");

var opened = Stopwatch.StartNew();
await using var storage = await PrxyStorage.OpenAsync(options, ct);
foreach (var (module, migrate) in new (string, Func<IPrxyStorage, CancellationToken, Task<Prxy.Typed.Migrations.MigrationReport>>)[]
         {
             ("patterns", PatternsModule.MigrateAsync),
             ("semantic-cache", SemanticCacheModule.MigrateAsync),
             ("rate-limit", RateLimitModule.MigrateAsync),
         })
{
    var report = await migrate(storage, ct);
    AnsiConsole.MarkupLine($"  migrations [green]{module}[/]: {report.Applied.Count} applied, {report.AlreadyApplied.Count} already applied");
}

var health = await storage.HealthAsync(ct);
AnsiConsole.MarkupLine($"  health: {(health.IsHealthy ? "[green]healthy[/]" : "[red]degraded[/]")}, vectors served by [blue]{health.VectorBackend}[/] (opened in {opened.ElapsedMilliseconds} ms)");

var clock = TimeProvider.System;
var limiter = new RateLimiter(storage);
var cache = new SemanticCache(storage, clock);
var patterns = new PatternMemory(storage, clock);
await limiter.SeedAsync(
[
    new RateLimitPolicy { ApiKey = "team-a", RequestsPerWindow = 100, WindowSeconds = 60, Plan = "team" },
    new RateLimitPolicy { ApiKey = "team-b", RequestsPerWindow = 100, WindowSeconds = 60, Plan = "team" },
    new RateLimitPolicy { ApiKey = "free-1", RequestsPerWindow = 2, WindowSeconds = 60, Plan = "free" },
], ct);

var requests = JsonSerializer.Deserialize(File.ReadAllText(scriptPath), GatewayJson.Default.ReplayRequestArray)
    ?? throw new InvalidDataException($"{scriptPath} holds no requests.");
var run = Guid.NewGuid().ToString("N")[..8]; // rate-limit windows are per replay, so reruns start from zero
var table = new Table().Border(TableBorder.Rounded)
    .AddColumns("#", "key", "model", "prompt", "rate limit", "semantic cache", "patterns", "ms");
var decisions = new List<RequestDecision>();
foreach (var (request, index) in requests.Select((r, i) => (r, i + 1)))
{
    var watch = Stopwatch.StartNew();
    var rate = await limiter.CheckAsync(request.ApiKey, run, TimeSpan.FromSeconds(request.At), ct);
    string cacheOutcome = "-", patternOutcome = "-";
    double? cacheScore = null;
    if (rate.Allowed)
    {
        var lookup = await cache.LookupAsync(request.Model, request.Prompt, ct);
        if (lookup.Hit)
        {
            (cacheOutcome, cacheScore) = ("hit", lookup.Score);
        }
        else
        {
            await cache.StoreAsync(request.Model, request.Prompt, FakeModel.Complete(request.Model, request.Prompt), ct);
            cacheOutcome = "stored";
        }

        var pattern = await patterns.RecallOrForgeAsync(request.User, request.Prompt, FakeModel.Complete(request.Model, request.Prompt), ct);
        patternOutcome = pattern.Outcome;
    }

    var decision = new RequestDecision(index, request.ApiKey, rate.Allowed ? "allowed" : "limited", rate.Count, rate.Limit, cacheOutcome, cacheScore, patternOutcome);
    decisions.Add(decision);
    table.AddRow(
        index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        request.ApiKey,
        request.Model,
        Markup.Escape(request.Prompt.Length > 40 ? request.Prompt[..39] + "…" : request.Prompt),
        rate.Allowed ? $"[green]ok[/] {rate.Count}/{rate.Limit}" : $"[red]429[/] {rate.Count}/{rate.Limit}",
        cacheOutcome == "hit" ? $"[green]hit[/] {cacheScore:F3}" : cacheOutcome,
        patternOutcome,
        watch.Elapsed.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
}

AnsiConsole.Write(table);
AnsiConsole.MarkupLine(
    $"[bold]{decisions.Count(d => d.Cache == "hit")} cache hits[/], {decisions.Count(d => d.Cache == "stored")} stored, " +
    $"{decisions.Count(d => d.RateLimit == "limited")} rate-limited, {decisions.Count(d => d.Patterns == "recalled")} patterns recalled, " +
    $"{decisions.Count(d => d.Patterns == "forged")} forged. Run again to see the cache persist.");
if (reportPath is not null)
{
    File.WriteAllText(reportPath, JsonSerializer.Serialize(decisions.ToArray(), GatewayJson.Default.RequestDecisionArray));
}
