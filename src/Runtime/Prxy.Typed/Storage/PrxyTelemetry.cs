using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Prxy.Typed;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> named "Prxy.Typed". Spans and metrics follow
/// OpenTelemetry's database conventions: <c>db.system.name</c>, <c>db.operation.name</c>, <c>db.collection.name</c>
/// (the table, KV or blob store) and <c>error.type</c>; parameter values and keys are never recorded.
/// </summary>
public static class PrxyTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "Prxy.Typed";

    /// <summary>Spans of database, KV and blob calls.</summary>
    public static readonly ActivitySource ActivitySource = new(Name, typeof(PrxyTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Metrics of database, KV and blob calls.</summary>
    public static readonly Meter Meter = new(Name, typeof(PrxyTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary><c>db.client.operation.duration</c> in seconds, tagged like the spans.</summary>
    internal static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "db.client.operation.duration", unit: "s", description: "Duration of database, KV and blob operations.");

    /// <summary>True when a span or a measurement would be recorded.</summary>
    internal static bool IsEnabled => ActivitySource.HasListeners() || OperationDuration.Enabled;

    /// <summary>Starts an operation; call <see cref="Operation.End"/> exactly once when it ends (in a <c>finally</c>).</summary>
    internal static Operation Start(string system, string operation, string? collection)
    {
        var activity = ActivitySource.StartActivity(collection is null ? operation : $"{operation} {collection}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("db.system.name", system);
            activity.SetTag("db.operation.name", operation);
            if (collection is not null)
            {
                activity.SetTag("db.collection.name", collection);
            }
        }

        return new Operation(activity, system, operation, collection, Stopwatch.GetTimestamp());
    }

    /// <summary>One measured operation.</summary>
    internal readonly struct Operation(Activity? activity, string system, string operation, string? collection, long started)
    {
        /// <summary>Ends the operation; <paramref name="errorType"/> (an error kind or exception type name) marks it failed.</summary>
        public void End(string? errorType = null)
        {
            if (system is null)
            {
                return; // started while nobody listened
            }

            if (errorType is not null)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
                activity?.SetTag("error.type", errorType);
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (OperationDuration.Enabled)
            {
                var tags = new TagList
                {
                    { "db.system.name", system },
                    { "db.operation.name", operation },
                };
                if (collection is not null)
                {
                    tags.Add("db.collection.name", collection);
                }

                if (errorType is not null)
                {
                    tags.Add("error.type", errorType);
                }

                OperationDuration.Record(elapsed, tags);
            }

            activity?.Dispose();
        }
    }
}
