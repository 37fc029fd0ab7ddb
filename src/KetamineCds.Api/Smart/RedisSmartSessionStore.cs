using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KetamineCds.Api.Scaling;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace KetamineCds.Api.Smart;

/// <summary>
/// App sessions shared by every instance through Redis: <c>SET {prefix}smart-session:{sha256(id)} {protected} PX (expiry - now)</c>.
/// The whole session (access token, patient id, FHIR server) is encrypted with Data Protection (its key ring is in
/// Redis too, so every instance can read it) and never stored in clear text; the key is a hash of the session id, so
/// Redis holds nothing a browser's cookie could be matched with. Redis forgets the session when the token expires; a
/// read also checks the expiry against <see cref="TimeProvider"/>. Redis errors propagate (the app answers 503).
/// </summary>
internal sealed class RedisSmartSessionStore(RedisConnection redis, IDataProtectionProvider protection, TimeProvider time) : ISmartSessionStore
{
    public const string Purpose = "KetamineCds.Smart.SessionStore.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public async ValueTask<string> AddAsync(SmartSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var id = SmartSessionIds.New();
        var lifetime = session.ExpiresAt - time.GetUtcNow();
        var value = _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(session));
        await redis.Database.StringSetAsync(Key(id), value, lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromSeconds(1)).WaitAsync(cancellationToken);
        return id;
    }

    public async ValueTask<SmartSession?> FindAsync(string? id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var key = Key(id);
        var value = await redis.Database.StringGetAsync(key).WaitAsync(cancellationToken);
        if (value.IsNullOrEmpty)
        {
            return null;
        }

        SmartSession? session;
        try
        {
            session = JsonSerializer.Deserialize<SmartSession>(_protector.Unprotect((byte[])value!));
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            return null;
        }

        if (session is null || session.ExpiresAt <= time.GetUtcNow())
        {
            await redis.Database.KeyDeleteAsync(key).WaitAsync(cancellationToken);
            return null;
        }

        return session;
    }

    private RedisKey Key(string id) => $"{redis.KeyPrefix}smart-session:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))}";
}
