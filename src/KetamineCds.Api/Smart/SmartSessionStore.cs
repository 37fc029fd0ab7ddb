using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;

namespace KetamineCds.Api.Smart;

/// <summary>One launched app session: the EHR's FHIR server, the patient, and the access token (server-side only).</summary>
public sealed record SmartSession(string ClientName, Uri Iss, string PatientId, string? FhirUser, string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Bounded server-side store of app sessions keyed by an opaque random id. A session expires with its token
/// (<c>expires_in</c>, read against <see cref="TimeProvider"/>); the memory cache's size limit bounds the store.
/// </summary>
public sealed class SmartSessionStore(TimeProvider time) : IDisposable
{
    public const int MaxSessions = 10_000;

    private readonly MemoryCache _sessions = new(new MemoryCacheOptions { SizeLimit = MaxSessions });

    public string Add(SmartSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var lifetime = session.ExpiresAt - time.GetUtcNow();
        _sessions.Set(id, session, new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromSeconds(1),
        });
        return id;
    }

    /// <summary>The live session, or null when unknown or expired (an expired one is removed).</summary>
    public SmartSession? Find(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out SmartSession? session) || session is null)
        {
            return null;
        }

        if (session.ExpiresAt <= time.GetUtcNow())
        {
            _sessions.Remove(id);
            return null;
        }

        return session;
    }

    public void Dispose() => _sessions.Dispose();
}
