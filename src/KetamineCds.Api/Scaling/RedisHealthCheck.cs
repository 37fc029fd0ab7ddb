using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KetamineCds.Api.Scaling;

/// <summary>
/// Readiness of the shared state: with Redis configured, a PING must answer, because without Redis every EHR call is
/// refused (the replay check fails closed). Without Redis configured there is nothing to check.
/// A PING on the service's own multiplexer (not a second connection, as the AspNetCore.HealthChecks.Redis package would
/// open) in a few lines.
/// </summary>
internal sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.Enabled)
        {
            return HealthCheckResult.Healthy("Redis not configured: replay cache and rate limits in process.");
        }

        try
        {
            var latency = await redis.Database.PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:F1} ms.");
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis unavailable: EHR calls are refused (replay check fails closed).", ex);
        }
    }
}
