using System.Globalization;
using System.Threading.RateLimiting;
using Hl7.Fhir.Model;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;

namespace KetamineCds.Api.Security;

/// <summary>
/// Load shedding at the edge: at most <see cref="CdsHooksOptions.MaxConcurrentHookCalls"/> service and feedback calls
/// execute at once on this instance, up to <see cref="CdsHooksOptions.HookCallQueueLimit"/> more wait first in, first
/// out, and any further call is answered at once with 503, <c>Retry-After</c> and a short OperationOutcome (issue
/// <c>transient</c>), counted in <c>ketamine_cds.rejections</c> (reason <c>overload</c>) and written to the
/// <see cref="RejectionLog"/>. Without it a saturated instance starves its own outbound FHIR queries until they hit
/// their attempt timeout, which the EHR's circuit breaker counts against a healthy EHR. An endpoint policy
/// (<c>RequireRateLimiting</c>): health, discovery, admin, SMART and demo pages are never held back, and its
/// <see cref="OnRejected"/> answers only its own rejections (the per-client limit keeps its 429).
/// </summary>
internal sealed class HookCallConcurrencyPolicy : IRateLimiterPolicy<string>
{
    /// <summary>The policy name the endpoints require.</summary>
    public const string Name = "hook-calls";

    /// <summary>Seconds an EHR is asked to wait: a queue drains in well under a second when the instance is healthy.</summary>
    public const int RetryAfterSeconds = 1;

    private static readonly string RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    private readonly RateLimitPartition<string> _partition;

    public HookCallConcurrencyPolicy(CdsHooksOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = new ConcurrencyLimiterOptions
        {
            PermitLimit = options.EffectiveMaxConcurrentHookCalls,
            QueueLimit = options.EffectiveHookCallQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };

        // One partition: the bound protects this instance's CPU, whoever the callers are.
        _partition = RateLimitPartition.GetConcurrencyLimiter("instance", _ => limits);
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) => _partition;

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = RetryAfter;
        context.RequestServices.GetRequiredService<CdsMetrics>().Rejected(context.GetCdsClient()?.Name, "overload");
        context.RequestServices.GetRequiredService<RateLimitRejectionLog>().Overloaded(context);
        await OperationOutcomes.Result(
                StatusCodes.Status503ServiceUnavailable,
                OperationOutcome.IssueType.Transient,
                $"The service is overloaded; retry after {RetryAfterSeconds} s.")
            .ExecuteAsync(context);
    }
}
