using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Hl7.Fhir.Model;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Api.Hosting;
using KetamineCds.Api.Scaling;
using Microsoft.AspNetCore.RateLimiting;
using RedisRateLimiting;

namespace KetamineCds.Api.Security;

/// <summary>
/// Fixed windows per client. An authenticated EHR (by issuer) gets its own <c>RateLimitPermits</c>/<c>RateLimitWindow</c>
/// or the <see cref="CdsHooksOptions.ClientRateLimitPermits"/> default (10,000 calls/s: a flood guard), shared by every instance through
/// Redis when it is configured (RedisRateLimiting). An unauthenticated caller is limited per IP address (the
/// forwarded client address behind a trusted proxy) to <see cref="CdsHooksOptions.RateLimitPermits"/> per
/// <see cref="CdsHooksOptions.RateLimitWindow"/>, per instance; with authentication off, hook and feedback calls
/// (<see cref="EhrCallEndpoint"/>) come from an EHR nobody identifies and are bounded only by the concurrent-call limit. Health probes and the warm-up's own loopback requests (<see cref="WarmupCaller"/>) are not limited. A 429 carries Retry-After
/// and a short OperationOutcome, and is counted in <c>ketamine_cds.rejections</c>.
/// </summary>
internal static class CdsRateLimiting
{
    public static void Configure(RateLimiterOptions limiter, CdsHooksOptions options, RedisConnection redis, WarmupCaller warmup, ILoggerFactory loggers)
    {
        var anonymous = FixedWindow(options.RateLimitPermits, options.RateLimitWindow);
        var redisLog = new ThrottledLog(TimeProvider.System);
        var logger = loggers.CreateLogger(typeof(CdsRateLimiting).FullName!);
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (context.Request.Path.StartsWithSegments("/health"))
            {
                return RateLimitPartition.GetNoLimiter("health");
            }

            if (warmup.IsWarmupCall(context))
            {
                return RateLimitPartition.GetNoLimiter("warm-up");
            }

            if (context.GetCdsClient() is not { } client)
            {
                // Authentication off: a hook or feedback call is the EHR's, only not identified, so no per-client limit can
                // apply (per address, every call of a hospital's EHR shares one). The bound on concurrent calls (503) still
                // protects the instance; the anonymous limit (10/s by default) is for public pages.
                return !options.RequireAuthentication && context.GetEndpoint()?.Metadata.GetMetadata<EhrCallEndpoint>() is not null
                    ? RateLimitPartition.GetNoLimiter("unidentified-ehr")
                    : RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => anonymous);
            }

            var permits = client.RateLimitPermits ?? options.ClientRateLimitPermits;
            var window = client.RateLimitWindow ?? options.ClientRateLimitWindow;
            if (!redis.Enabled)
            {
                return RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => FixedWindow(permits, window));
            }

            // Every instance counts into the same Redis key: prefix, issuer (hashed: a URL of any length) and the limit.
            var sharedKey = $"{redis.KeyPrefix}rate:{IssuerHash(client.Issuer)}:{permits}:{(long)window.TotalMilliseconds}";
            return RateLimitPartition.Get(PartitionKey(context), _ => new FailOpenRateLimiter(
                new RedisFixedWindowRateLimiter<string>(sharedKey, new RedisFixedWindowRateLimiterOptions
                {
                    ConnectionMultiplexerFactory = () => redis.Multiplexer,
                    PermitLimit = permits,
                    Window = window,
                }),
                redisLog,
                logger));
        });
        limiter.OnRejected = static async (rejected, _) =>
        {
            var context = rejected.HttpContext;
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalSeconds) : (int?)null;
            if (retryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            var client = context.GetCdsClient();
            context.RequestServices.GetRequiredService<CdsMetrics>().Rejected(client?.Name, "rate-limit");
            context.RequestServices.GetRequiredService<RateLimitRejectionLog>().Rejected(context);
            var message = retryAfter is { } s
                ? $"Too many requests from this {(client is null ? "address" : "EHR")}; retry after {s} s."
                : $"Too many requests from this {(client is null ? "address" : "EHR")}; retry later.";
            await OperationOutcomes.Result(StatusCodes.Status429TooManyRequests, OperationOutcome.IssueType.Throttled, message).ExecuteAsync(context);
        };
    }

    /// <summary>The authenticated EHR's issuer, else the remote address.</summary>
    internal static string PartitionKey(HttpContext context)
        => context.GetCdsClient() is { } client
            ? "iss:" + client.Issuer
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static FixedWindowRateLimiterOptions FixedWindow(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static string IssuerHash(string issuer) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(issuer)), 0, 8);
}
