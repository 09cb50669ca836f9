namespace Prxy.Typed;

/// <summary>
/// Runs one KV or blob call inside a telemetry operation, for the traced decorators. The operation starts before the call
/// (so it also covers the call's synchronous part) inside this async method (so the span is the current activity only for
/// the call, not for the caller afterwards); a synchronous throw ends it like any failure.
/// </summary>
internal static class TracedCall
{
    /// <summary>Runs <paramref name="call"/>; a result <paramref name="failed"/> accepts, or an exception, marks the operation failed.</summary>
    public static async ValueTask<T> Run<TState, T>(
        string system, string operation, string collection, TState state, Func<TState, ValueTask<T>> call, Func<T, bool>? failed = null)
    {
        var op = PrxyTelemetry.Start(system, operation, collection);
        try
        {
            var result = await call(state).ConfigureAwait(false);
            op.End(failed?.Invoke(result) == true ? "unavailable" : null);
            return result;
        }
        catch (Exception ex)
        {
            op.End(ex.GetType().Name);
            throw;
        }
    }

    /// <summary>Runs <paramref name="call"/>, which returns nothing; an exception marks the operation failed.</summary>
    public static async ValueTask Run<TState>(string system, string operation, string collection, TState state, Func<TState, ValueTask> call)
        => await Run(system, operation, collection, (state, call), static async s =>
        {
            await s.call(s.state).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
}
