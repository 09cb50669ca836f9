using System.Runtime.CompilerServices;

namespace Prxy.Typed;

/// <summary>Adds a span and a duration measurement to every blob call; keys and contents are never recorded.</summary>
internal sealed class TracedBlobStore(IBlobStore inner, string system) : IBlobStore
{
    private Task<T> Trace<TState, T>(string operation, TState state, Func<TState, Task<T>> call)
        => TracedCall.Run(system, operation, "blob", (state, call), static s => new ValueTask<T>(s.call(s.state))).AsTask();

    private Task Trace<TState>(string operation, TState state, Func<TState, Task> call)
        => TracedCall.Run(system, operation, "blob", (state, call), static s => new ValueTask(s.call(s.state))).AsTask();

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => Trace("PUT", (inner, key, content, cancellationToken), static s => s.inner.PutAsync(s.key, s.content, s.cancellationToken));

    public Task PutAsync(string key, byte[] content, CancellationToken cancellationToken = default) => Trace("PUT", (inner, key, content, cancellationToken), static s => s.inner.PutAsync(s.key, s.content, s.cancellationToken));

    public Task PutAsync(string key, string content, CancellationToken cancellationToken = default) => Trace("PUT", (inner, key, content, cancellationToken), static s => s.inner.PutAsync(s.key, s.content, s.cancellationToken));

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default) => Trace("PUT", (inner, key, content, cancellationToken), static s => s.inner.PutAsync(s.key, s.content, s.cancellationToken));

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => Trace("GET", (inner, key, cancellationToken), static s => s.inner.GetAsync(s.key, s.cancellationToken));

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) => Trace("GET", (inner, key, cancellationToken), static s => s.inner.OpenReadAsync(s.key, s.cancellationToken));

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => Trace("DELETE", (inner, key, cancellationToken), static s => s.inner.DeleteAsync(s.key, s.cancellationToken));

    public async IAsyncEnumerable<string> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var op = PrxyTelemetry.Start(system, "LIST", "blob");
        string? error = null;
        try
        {
            await using var keys = inner.ListAsync(prefix, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await keys.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    error = ex.GetType().Name;
                    throw;
                }

                yield return keys.Current;
            }
        }
        finally
        {
            op.End(error);
        }
    }

    // The storage facade disposes the underlying store itself.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
