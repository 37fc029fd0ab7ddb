namespace KetamineCds.Api.Smart;

/// <summary>
/// Server-side store of app sessions keyed by an opaque random id (the browser holds only that id, in a
/// data-protected cookie). A session expires with its access token. In process memory with one instance; in Redis
/// (<c>Redis:Configuration</c> set) so that any instance can serve the app.
/// </summary>
public interface ISmartSessionStore
{
    /// <summary>Stores the session until its token expires and returns its new id.</summary>
    ValueTask<string> AddAsync(SmartSession session, CancellationToken cancellationToken);

    /// <summary>The live session, or null when unknown, expired or unreadable.</summary>
    ValueTask<SmartSession?> FindAsync(string? id, CancellationToken cancellationToken);
}
