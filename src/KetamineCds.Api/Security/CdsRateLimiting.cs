using System.Globalization;
using System.Threading.RateLimiting;
using KetamineCds.Api.Configuration;
using Microsoft.AspNetCore.RateLimiting;

namespace KetamineCds.Api.Security;

/// <summary>
/// One fixed window of <see cref="CdsHooksOptions.RateLimitPermits"/> per <see cref="CdsHooksOptions.RateLimitWindow"/>
/// per client: the authenticated EHR (its issuer), else the remote IP address. Health probes are not limited.
/// </summary>
internal static class CdsRateLimiting
{
    public static void Configure(RateLimiterOptions limiter, CdsHooksOptions options)
    {
        var window = new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.RateLimitPermits,
            Window = options.RateLimitWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.Request.Path.StartsWithSegments("/health")
                ? RateLimitPartition.GetNoLimiter("health")
                : RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => window));
        limiter.OnRejected = static (rejected, _) =>
        {
            var context = rejected.HttpContext;
            if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            context.RequestServices.GetRequiredService<RateLimitRejectionLog>().Rejected(context);
            return ValueTask.CompletedTask;
        };
    }

    /// <summary>The authenticated EHR's issuer, else the remote address.</summary>
    internal static string PartitionKey(HttpContext context)
        => context.GetCdsClient() is { } client
            ? "iss:" + client.Issuer
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
