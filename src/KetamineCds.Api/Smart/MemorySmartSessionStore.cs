using Microsoft.Extensions.Caching.Memory;

namespace KetamineCds.Api.Smart;

/// <summary>
/// Bounded in-process store of app sessions (one instance, or several with sticky sessions). A session expires with its
/// token (<c>expires_in</c>, read against <see cref="TimeProvider"/>); the memory cache's size limit bounds the store.
/// </summary>
public sealed class MemorySmartSessionStore(TimeProvider time) : ISmartSessionStore, IDisposable
{
    public const int MaxSessions = 10_000;

    private readonly MemoryCache _sessions = new(new MemoryCacheOptions { SizeLimit = MaxSessions });

    public ValueTask<string> AddAsync(SmartSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var id = SmartSessionIds.New();
        var lifetime = session.ExpiresAt - time.GetUtcNow();
        _sessions.Set(id, session, new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromSeconds(1),
        });
        return ValueTask.FromResult(id);
    }

    public ValueTask<SmartSession?> FindAsync(string? id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out SmartSession? session) || session is null)
        {
            return ValueTask.FromResult<SmartSession?>(null);
        }

        if (session.ExpiresAt <= time.GetUtcNow())
        {
            _sessions.Remove(id);
            return ValueTask.FromResult<SmartSession?>(null);
        }

        return ValueTask.FromResult<SmartSession?>(session);
    }

    public void Dispose() => _sessions.Dispose();
}
