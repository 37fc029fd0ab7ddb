namespace KetamineCds.Api.Security;

/// <summary>A 429 goes to the <see cref="RejectionLog"/>: logged at once the first time, then counted per client per interval.</summary>
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
}
