namespace Prxy.Typed;

/// <summary>A module's storage: relational + vector rows, KV and blobs, opened by <c>PrxyStorage.OpenAsync</c>.</summary>
public partial interface IPrxyStorage : IAsyncDisposable
{
    /// <summary>The relational and vector store.</summary>
    IDatabase Db { get; }
}
