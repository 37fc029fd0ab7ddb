using System.Text.Json.Nodes;
using KetamineCds.Api.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace KetamineCds.Api.Demo;

/// <summary>Body of an order from the demo's order panel.</summary>
public sealed record DemoOrderBody(string? Kind, bool Sign, bool Prefetch = true);

/// <summary>Body of an accepted suggestion.</summary>
public sealed record DemoAcceptBody(string? Suggestion);

/// <summary>Body of a dismissed card.</summary>
public sealed record DemoOverrideBody(string? Reason, string? Comment);

/// <summary>
/// The demo EHR's endpoints, mapped only while <c>Demo:Enabled</c> is on (otherwise every <c>/demo</c> path is 404):
/// the EHR page and its JSON API, the demo FHIR server, and the SMART authorization server.
/// </summary>
public static class DemoEndpoints
{
    internal const string PageCsp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapKetamineCdsDemo(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.ServiceProvider.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled)
        {
            return app;
        }

        var demo = app.MapGroup("/demo").AllowAnonymous().ExcludeFromDescription();
        demo.MapGet("", (HttpContext http) => PageAssets.Serve(http, "demo.html"));
        demo.MapGet("/assets/{file}", (HttpContext http, string file) => PageAssets.Serve(http, file, "demo"));

        var api = demo.MapGroup("/api");
        api.MapGet("/patients", (DemoPatientStore store) => TypedResults.Ok(store.Patients));
        api.MapPost("/patients/{id}/open", OpenAsync);
        api.MapPost("/patients/{id}/orders", OrderAsync);
        api.MapGet("/patients/{id}/{type}", ListResources);
        api.MapPost("/cards/{uuid}/accept", AcceptAsync);
        api.MapPost("/cards/{uuid}/override", OverrideAsync);
        api.MapGet("/feedback-calls", (DemoEhr ehr) => TypedResults.Ok(ehr.FeedbackCalls));
        demo.MapGet("/launch", Launch);

        DemoFhirEndpoints.Map(demo);
        return app;
    }

    private static async Task<IResult> OpenAsync(string id, bool? prefetch, DemoPatientStore store, DemoEhr ehr, CancellationToken cancellationToken)
        => store.Exists(id)
            ? TypedResults.Ok(await ehr.OpenChartAsync(id, prefetch ?? true, cancellationToken))
            : TypedResults.NotFound();

    private static async Task<IResult> OrderAsync(string id, DemoOrderBody body, DemoPatientStore store, DemoEhr ehr, CancellationToken cancellationToken)
    {
        if (!store.Exists(id))
        {
            return TypedResults.NotFound();
        }

        if (!Enum.TryParse<DemoOrderKind>(body.Kind, ignoreCase: true, out var kind))
        {
            return TypedResults.BadRequest(new { error = "kind must be esketamine, ketamineIv or lorazepam" });
        }

        return TypedResults.Ok(await ehr.OrderAsync(id, kind, body.Sign, body.Prefetch, cancellationToken));
    }

    private static IResult ListResources(string id, string type, DemoPatientStore store)
        => store.Exists(id) ? TypedResults.Ok(store.Search(id, type)) : TypedResults.NotFound();

    private static async Task<IResult> AcceptAsync(string uuid, DemoAcceptBody body, DemoEhr ehr, CancellationToken cancellationToken)
    {
        var result = body.Suggestion is null ? null : await ehr.AcceptAsync(uuid, body.Suggestion, cancellationToken);
        return result is { } r
            ? TypedResults.Ok(new { feedbackStatus = r.FeedbackStatus, created = r.Created })
            : TypedResults.NotFound();
    }

    private static async Task<IResult> OverrideAsync(string uuid, DemoOverrideBody body, DemoEhr ehr, CancellationToken cancellationToken)
    {
        var status = await ehr.OverrideAsync(uuid, body.Reason, body.Comment, cancellationToken);
        return status is { } s ? TypedResults.Ok(new { feedbackStatus = s }) : TypedResults.NotFound();
    }

    /// <summary>
    /// The admin page (HTML and its script; always served: the data behind it needs the admin key, which the page
    /// asks for and sends to <c>/admin/clients</c> and <c>/admin/stats</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapAdminPage(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/admin", (HttpContext http) => PageAssets.Serve(http, "admin.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/admin/assets/{file}", (HttpContext http, string file) => PageAssets.Serve(http, file, "admin")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// EHR launch of a card's SMART link: a launch context for the patient, then the app's launch URL with iss and
    /// launch. Only apps of this service (under PublicBaseUrl) are launched: no open redirect.
    /// </summary>
    private static IResult Launch(string? patient, string? url, DemoPatientStore store, DemoAuthorizationServer authorization, DemoEhr ehr, IOptions<CdsHooksOptions> options)
    {
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/') + "/";
        if (patient is null || !store.Exists(patient) || url is null || !url.StartsWith(baseUrl, StringComparison.Ordinal) || url.Contains('#', StringComparison.Ordinal))
        {
            return TypedResults.BadRequest("The demo launches only this service's apps, for its own patients.");
        }

        var launch = authorization.CreateLaunch(patient);
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return TypedResults.Redirect($"{url}{separator}iss={Uri.EscapeDataString(ehr.FhirBase)}&launch={Uri.EscapeDataString(launch)}");
    }
}

/// <summary>The pages' HTML, JS and CSS, embedded in the assembly (no CDN, no file system).</summary>
internal static class PageAssets
{
    private const string Prefix = "KetamineCds.Demo.Assets.";

    public static IResult Serve(HttpContext http, string file, string? area = null)
    {
        if (area is not null && !file.StartsWith(area + ".", StringComparison.Ordinal) && file != "common.css")
        {
            return TypedResults.NotFound();
        }

        var contentType = Path.GetExtension(file) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            _ => null,
        };
        var stream = contentType is null ? null : typeof(PageAssets).Assembly.GetManifestResourceStream(Prefix + file);
        if (stream is null)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers[HeaderNames.ContentSecurityPolicy] = DemoEndpoints.PageCsp;
        return TypedResults.Stream(stream, contentType);
    }
}
