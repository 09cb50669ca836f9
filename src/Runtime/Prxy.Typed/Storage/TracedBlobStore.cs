using System.Runtime.CompilerServices;

namespace Prxy.Typed;

/// <summary>Adds a span and a duration measurement to every blob call; keys and contents are never recorded.</summary>
internal sealed class TracedBlobStore(IBlobStore inner, string system) : IBlobStore
{
    private async Task<T> Trace<T>(string operation, Task<T> call)
    {
        var op = PrxyTelemetry.Start(system, operation, "blob");
        try
        {
            var result = await call.ConfigureAwait(false);
            op.End();
            return result;
        }
        catch (Exception ex)
        {
            op.End(ex.GetType().Name);
            throw;
        }
    }

    private async Task Trace(string operation, Task call)
    {
        var op = PrxyTelemetry.Start(system, operation, "blob");
        try
        {
            await call.ConfigureAwait(false);
            op.End();
        }
        catch (Exception ex)
        {
            op.End(ex.GetType().Name);
            throw;
        }
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => Trace("PUT", inner.PutAsync(key, content, cancellationToken));

    public Task PutAsync(string key, byte[] content, CancellationToken cancellationToken = default) => Trace("PUT", inner.PutAsync(key, content, cancellationToken));

    public Task PutAsync(string key, string content, CancellationToken cancellationToken = default) => Trace("PUT", inner.PutAsync(key, content, cancellationToken));

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default) => Trace("PUT", inner.PutAsync(key, content, cancellationToken));

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => Trace("GET", inner.GetAsync(key, cancellationToken));

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) => Trace("GET", inner.OpenReadAsync(key, cancellationToken));

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => Trace("DELETE", inner.DeleteAsync(key, cancellationToken));

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
