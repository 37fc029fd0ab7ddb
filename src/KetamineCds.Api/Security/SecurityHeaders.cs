namespace KetamineCds.Api.Security;

/// <summary>
/// Headers on every response (set when the response starts, so they survive the exception handler clearing the
/// response): nosniff, no framing, no referrer, a locked-down CSP for the JSON API, and no-store (CDS responses carry
/// patient data and must not sit in any cache).
/// </summary>
internal static class SecurityHeaders
{
    public static IApplicationBuilder UseCdsSecurityHeaders(this IApplicationBuilder app)
        => app.Use((context, next) =>
        {
            context.Response.OnStarting(static state => Apply((HttpResponse)state), context.Response);
            return next(context);
        });

    private static Task Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
        {
            // HTML pages (demo, admin) set their own, as strict as they can run with.
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        }

        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        return Task.CompletedTask;
    }
}
