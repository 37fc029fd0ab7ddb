namespace KetamineCds.Api.Security;

/// <summary>
/// A 429 (rate limit) or a 503 (instance overloaded) goes to the <see cref="RejectionLog"/>: logged at once the first
/// time, then counted per client per interval.
/// </summary>
internal sealed class RateLimitRejectionLog(RejectionLog rejections)
{
    public void Rejected(HttpContext context)
    {
        var client = context.GetCdsClient();
        var route = CdsRoute.Parse(context.Request.Path)?.Kind.ToString() ?? "other";
        rejections.Record(
            StatusCodes.Status429TooManyRequests,
            client is null ? "unauthenticated callers" : $"EHR {client.Name}",
            $"rate limit reached on {route}");
    }

    /// <summary>A call shed by <see cref="HookCallConcurrencyPolicy"/> (bound and queue full).</summary>
    public void Overloaded(HttpContext context)
    {
        var client = context.GetCdsClient();
        rejections.Record(
            StatusCodes.Status503ServiceUnavailable,
            client is null ? "unauthenticated callers" : $"EHR {client.Name}",
            "instance overloaded");
    }
}
