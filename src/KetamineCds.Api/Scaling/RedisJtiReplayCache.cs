using System.Security.Cryptography;
using System.Text;
using KetamineCds.Api.Security;
using StackExchange.Redis;

namespace KetamineCds.Api.Scaling;

/// <summary>
/// The replay cache shared by every instance: <c>SET {prefix}jti:{sha256(iss)}:{jti} 1 NX PX (exp + skew - now)</c>.
/// Only the first SET of a key succeeds, on whichever instance; Redis forgets the key once the token has expired, so
/// the cache never fills with dead tokens and is never full for new ones. When Redis cannot answer, the token is
/// refused (<see cref="ReplayCheck.Unavailable"/>: fail closed) and an error line is logged at most every 30 s.
/// </summary>
internal sealed class RedisJtiReplayCache(RedisConnection redis, TimeProvider time, ILogger<RedisJtiReplayCache> logger) : IJtiReplayCache
{
    private readonly ThrottledLog _unavailableLog = new(time);

    public async ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset rememberUntil, CancellationToken cancellationToken)
    {
        var ttl = rememberUntil - time.GetUtcNow();
        if (ttl < TimeSpan.FromSeconds(1))
        {
            ttl = TimeSpan.FromSeconds(1);
        }

        try
        {
            var first = await redis.Database.StringSetAsync(Key(issuer, jti), 1, ttl, When.NotExists).WaitAsync(cancellationToken);
            return first ? ReplayCheck.FirstUse : ReplayCheck.Replayed;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            if (_unavailableLog.TryEnter(out var suppressed))
            {
                ScalingLog.RedisUnavailable(logger, "jti replay check", suppressed, ThrottledLog.IntervalSeconds, ex.GetType().Name);
            }

            return ReplayCheck.Unavailable;
        }
    }

    /// <summary>The issuer is hashed (a URL of any length); the jti is bounded by the token checks.</summary>
    private RedisKey Key(string issuer, string jti)
        => $"{redis.KeyPrefix}jti:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(issuer)), 0, 8)}:{jti}";
}
