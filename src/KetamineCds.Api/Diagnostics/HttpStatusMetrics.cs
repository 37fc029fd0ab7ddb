using System.Diagnostics.Metrics;
using KetamineCds.Api.Hosting;

namespace KetamineCds.Api.Diagnostics;

/// <summary>
/// <c>ketamine_cds.http.responses</c> on meter <c>KetamineCds</c>: every answer on <c>/cds-services</c> by route
/// (<c>discovery</c>, <c>service</c>, <c>feedback</c>) and HTTP status, the ones the framework writes included
/// (401 of authentication, 429 of the rate limiter, 500 of the exception handler, 503 of the request timeout).
/// A small counter of our own rather than ASP.NET Core's <c>http.server.request.duration</c> (meter
/// <c>Microsoft.AspNetCore.Hosting</c>, exported as well): it lives on our meter for <c>dotnet-counters</c>, has a
/// three-valued route tag and does not depend on how the framework tags re-executed or unmatched requests.
/// </summary>
public sealed class HttpStatusMetrics
{
    public const string InstrumentName = "ketamine_cds.http.responses";

    // Boxed once: a status tag allocates nothing per request.
    private static readonly object[] Statuses = Enumerable.Range(0, 600).Select(static s => (object)s).ToArray();

    private readonly Counter<long> _responses;

    public HttpStatusMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _responses = meterFactory.Create(CdsMetrics.MeterName)
            .CreateCounter<long>(InstrumentName, "{response}", "Answers on /cds-services by route and HTTP status.");
    }

    public bool Enabled => _responses.Enabled;

    public void Answered(string route, int status)
        => _responses.Add(1, new("route", route), new("status", status is >= 0 and < 600 ? Statuses[status] : status));
}

/// <summary>
/// Outermost middleware: records the final status of each <c>/cds-services</c> request, except the warm-up's own
/// requests over loopback before ready (<see cref="WarmupCaller"/>): they are not calls anyone made.
/// </summary>
internal sealed class HttpStatusMiddleware(RequestDelegate next, HttpStatusMetrics metrics, WarmupCaller warmup)
{
    private static readonly PathString Root = "/cds-services";

    public Task InvokeAsync(HttpContext context)
        => metrics.Enabled && context.Request.Path.StartsWithSegments(Root, out var rest) && !warmup.IsWarmupCall(context)
            ? CountAsync(context, rest)
            : next(context);

    private async Task CountAsync(HttpContext context, PathString rest)
    {
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            metrics.Answered(RouteOf(rest), failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode);
        }
    }

    private static string RouteOf(PathString rest)
    {
        var value = rest.Value;
        if (string.IsNullOrEmpty(value) || value == "/")
        {
            return "discovery";
        }

        return value.EndsWith("/feedback", StringComparison.Ordinal) ? "feedback" : "service";
    }
}
