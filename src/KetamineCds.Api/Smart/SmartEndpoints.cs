using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Duende.IdentityModel.Client;
using KetamineCds.Api.Configuration;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Fhir;
using KetamineCds.Api.Scaling;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace KetamineCds.Api.Smart;

/// <summary>
/// The TRD assessment app (SMART App Launch 2.0, EHR launch): <c>/smart/launch</c> -> the EHR's authorization server
/// (code flow, PKCE S256) -> <c>/smart/callback</c> -> <c>/smart/app</c>. The access token stays in the
/// <see cref="ISmartSessionStore"/>; the browser holds only data-protected cookies. With <c>Redis:Configuration</c> set,
/// the Data Protection key ring and the sessions are in Redis, so a launch may continue on any instance.
/// </summary>
public static class SmartEndpoints
{
    public const string LaunchCookie = "ketamine-smart-launch";
    public const string SessionCookie = "ketamine-smart-session";
    public const string CallbackPath = "/smart/callback";
    public const string AppPath = "/smart/app";

    /// <summary>How long the user has between the launch and the callback.</summary>
    public static readonly TimeSpan LaunchLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Session lifetime when the token response has no <c>expires_in</c>.</summary>
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromMinutes(5);

    /// <summary>FHIR resource types the rules read (the data kinds of the hooks' prefetch).</summary>
    public static readonly IReadOnlyList<string> ResourceTypes =
        ["Patient", "Condition", "MedicationRequest", "MedicationStatement", "MedicationDispense", "Observation", "AllergyIntolerance", "Procedure"];

    /// <summary>The Data Protection application name: the same on every instance, so that they share protected payloads.</summary>
    public const string DataProtectionApplicationName = "KetamineCds";

    /// <summary>The Redis key (after <c>Redis:KeyPrefix</c>) of the Data Protection key ring.</summary>
    public const string DataProtectionKeysKey = "data-protection-keys";

    private const string LaunchPurpose = "KetamineCds.Smart.Launch.v1";
    private const string SessionPurpose = "KetamineCds.Smart.Session.v1";

    public static IServiceCollection AddSmartApp(this IServiceCollection services)
    {
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<CdsHooksOptions>, SmartOptionsValidator>();
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<RedisConnection>((keys, redis) =>
        {
            if (redis.Enabled)
            {
                keys.XmlRepository = new RedisXmlRepository(() => redis.Database, redis.KeyPrefix + DataProtectionKeysKey);
            }
        });
        services.AddHttpClient(SmartConfigurationClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<SmartConfigurationClient>();
        services.AddSingleton<MemorySmartSessionStore>();
        services.AddSingleton<RedisSmartSessionStore>();
        services.AddSingleton<ISmartSessionStore>(sp => sp.GetRequiredService<RedisConnection>().Enabled
            ? sp.GetRequiredService<RedisSmartSessionStore>()
            : sp.GetRequiredService<MemorySmartSessionStore>());
        return services;
    }

    public static IEndpointRouteBuilder MapSmartApp(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/smart").AllowAnonymous().AddEndpointFilter(SharedStateUnavailableAsync);
        group.MapGet("/launch", LaunchAsync).WithName("SmartLaunch");
        group.MapGet("/callback", CallbackAsync).WithName("SmartCallback");
        group.MapGet("/app", AppAsync).WithName("SmartApp");
        group.MapGet("/app.css", () => Results.Text(SmartPage.Css, "text/css; charset=utf-8")).WithName("SmartAppCss");
        return app;
    }

    /// <summary>The scope request: launch, identity, and patient-level read access to what the rules need.</summary>
    public static string Scopes(bool v2) =>
        "launch openid fhirUser " + string.Join(' ', ResourceTypes.Select(t => $"patient/{t}.{(v2 ? "rs" : "read")}"));

    private static async Task<IResult> LaunchAsync(
        HttpContext http,
        IOptions<CdsHooksOptions> options,
        SmartConfigurationClient configurations,
        IDataProtectionProvider protection,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SmartEndpoints));
        var iss = http.Request.Query["iss"].ToString();
        var launch = http.Request.Query["launch"].ToString();
        if (string.IsNullOrWhiteSpace(iss) || string.IsNullOrWhiteSpace(launch))
        {
            return SmartPage.Error(StatusCodes.Status400BadRequest, "The assessment was not opened from the EHR",
                "Open the TRD assessment from the card in the patient's chart; it needs the EHR's launch information.");
        }

        var (client, fhirServer) = FindClient(options.Value, iss);
        if (client is null || fhirServer is null)
        {
            SmartLog.IssNotAllowed(logger);
            return SmartPage.Error(StatusCodes.Status403Forbidden, "This EHR is not registered for the assessment",
                "The service does not know the EHR that opened the assessment. Ask IT to register the EHR's FHIR server for the TRD assessment app.");
        }

        var (config, error) = await configurations.GetAsync(fhirServer, cancellationToken);
        if (config is null)
        {
            SmartLog.ConfigurationUnavailable(logger, client.Name, error ?? "unknown");
            return SmartPage.Error(StatusCodes.Status502BadGateway, "The EHR could not be reached",
                "The EHR's sign-in service did not answer. Try again in a moment; if it persists, tell IT.");
        }

        var state = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var pending = new PendingLaunch(state, verifier, fhirServer.AbsoluteUri, config.TokenEndpoint.AbsoluteUri, client.Issuer, time.GetUtcNow().ToUnixTimeSeconds());
        http.Response.Cookies.Append(
            LaunchCookie,
            protection.CreateProtector(LaunchPurpose).Protect(JsonSerializer.Serialize(pending)),
            CookieOptions(http));

        var url = QueryHelpers.AddQueryString(config.AuthorizationEndpoint.AbsoluteUri, new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = client.Smart.ClientId,
            ["redirect_uri"] = options.Value.PublicBaseUrl + CallbackPath,
            ["launch"] = launch,
            ["scope"] = Scopes(config.SupportsV2Scopes),
            ["state"] = state,
            ["aud"] = iss,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });
        SmartLog.Redirected(logger, client.Name);
        return Results.Redirect(url);
    }

    private static async Task<IResult> CallbackAsync(
        HttpContext http,
        IOptions<CdsHooksOptions> options,
        IHttpClientFactory httpClients,
        IDataProtectionProvider protection,
        ISmartSessionStore sessions,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SmartEndpoints));
        var query = http.Request.Query;
        var pending = ReadPending(http, protection, time);
        http.Response.Cookies.Delete(LaunchCookie, CookieOptions(http));

        var error = query["error"].ToString();
        if (error.Length > 0)
        {
            SmartLog.CallbackRefused(logger, error == "access_denied" ? "access_denied" : "authorization error");
            return error == "access_denied"
                ? SmartPage.Error(StatusCodes.Status403Forbidden, "Access was not granted",
                    "The EHR did not allow the assessment to read this patient's record (access was declined). Open it again from the card to retry.")
                : SmartPage.Error(StatusCodes.Status400BadRequest, "The EHR did not complete the sign-in",
                    "The EHR's sign-in service reported a problem. Open the assessment again from the card; if it persists, tell IT.");
        }

        if (pending is null)
        {
            SmartLog.CallbackRefused(logger, "no valid launch cookie");
            return SmartPage.Error(StatusCodes.Status400BadRequest, "The launch has expired",
                "Too much time passed since the assessment was opened, or it was opened in another browser. Open it again from the card.");
        }

        var state = query["state"].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(pending.State)))
        {
            SmartLog.CallbackRefused(logger, "state mismatch");
            return SmartPage.Error(StatusCodes.Status400BadRequest, "The launch could not be verified",
                "This sign-in does not belong to the assessment opened in this browser. Open it again from the card.");
        }

        var code = query["code"].ToString();
        var client = options.Value.Clients.FirstOrDefault(c => c.Issuer == pending.ClientIssuer && !string.IsNullOrWhiteSpace(c.Smart.ClientId));
        if (code.Length == 0 || client is null)
        {
            SmartLog.CallbackRefused(logger, code.Length == 0 ? "no code" : "EHR no longer registered");
            return SmartPage.Error(StatusCodes.Status400BadRequest, "The launch could not be completed",
                "The EHR's answer was incomplete. Open the assessment again from the card.");
        }

        using var httpClient = httpClients.CreateClient(SmartConfigurationClient.HttpClientName);
        var token = await httpClient.RequestAuthorizationCodeTokenAsync(
            new AuthorizationCodeTokenRequest
            {
                Address = pending.TokenEndpoint,
                ClientId = client.Smart.ClientId!,
                ClientSecret = string.IsNullOrEmpty(client.Smart.ClientSecret) ? null : client.Smart.ClientSecret,
                // A confidential client authenticates with HTTP Basic (client_secret_basic); a public one sends its
                // client_id in the form body (RFC 6749 4.1.3), not a Basic header with an empty password.
                ClientCredentialStyle = string.IsNullOrEmpty(client.Smart.ClientSecret) ? ClientCredentialStyle.PostBody : ClientCredentialStyle.AuthorizationHeader,
                Code = code,
                RedirectUri = options.Value.PublicBaseUrl + CallbackPath,
                CodeVerifier = pending.Verifier,
            },
            cancellationToken);
        if (token.IsError || string.IsNullOrEmpty(token.AccessToken))
        {
            var unreachable = token.ErrorType is ResponseErrorType.Exception || token.HttpStatusCode >= HttpStatusCode.InternalServerError;
            SmartLog.TokenFailed(logger, client.Name, unreachable ? "EHR unreachable" : token.Error ?? "no access token");
            return unreachable
                ? SmartPage.Error(StatusCodes.Status502BadGateway, "The EHR could not be reached",
                    "The EHR's sign-in service did not answer. Open the assessment again in a moment; if it persists, tell IT.")
                : SmartPage.Error(StatusCodes.Status400BadRequest, "The EHR refused the sign-in",
                    "The EHR did not accept the assessment's sign-in. Open it again from the card; if it persists, tell IT.");
        }

        var patient = token.TryGet("patient");
        if (string.IsNullOrWhiteSpace(patient))
        {
            SmartLog.CallbackRefused(logger, "no patient in the token response");
            return SmartPage.Error(StatusCodes.Status400BadRequest, "No patient was selected",
                "The EHR opened the assessment without a patient. Open it from the card in the patient's chart.");
        }

        var lifetime = token.ExpiresIn > 0 ? TimeSpan.FromSeconds(token.ExpiresIn) : DefaultTokenLifetime;
        var expires = time.GetUtcNow() + lifetime;
        var id = await sessions.AddAsync(new SmartSession(client.Name, new Uri(pending.Iss), patient, token.TryGet("fhirUser"), token.AccessToken, expires), cancellationToken);
        http.Response.Cookies.Append(SessionCookie, protection.CreateProtector(SessionPurpose).Protect(id), CookieOptions(http));
        SmartLog.SessionStarted(logger, client.Name, (int)lifetime.TotalSeconds);
        return Results.Redirect(options.Value.PublicBaseUrl + AppPath);
    }

    private static async Task<IResult> AppAsync(
        HttpContext http,
        IDataProtectionProvider protection,
        ISmartSessionStore sessions,
        IPatientDataProvider data,
        IClinicalEngine engine,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SmartEndpoints));
        var session = await sessions.FindAsync(Unprotect(protection.CreateProtector(SessionPurpose), http.Request.Cookies[SessionCookie]), cancellationToken);
        if (session is null)
        {
            return SmartPage.Error(StatusCodes.Status401Unauthorized, "The session has expired",
                "The assessment's access to the record has ended. Open it again from the card in the patient's chart.");
        }

        var result = await data.GetPatientDataAsync(
            new HookDataRequest
            {
                HookInstance = "smart-app",
                PrefetchTokens = new Dictionary<string, string>(StringComparer.Ordinal) { ["context.patientId"] = session.PatientId },
                FhirServer = session.Iss,
                AccessToken = session.AccessToken,
                AllowedFhirServers = [session.Iss],
            },
            cancellationToken);
        SmartLog.PageRendered(logger, result.FhirRequests, result.Unavailable.Count);
        var outcome = engine.Evaluate(new EvaluationRequest(HookInput.PatientView, result.Record, time.GetUtcNow())
        {
            UnavailableData = result.Unavailable,
            IncludeDetails = true,
        });
        if (outcome.RequiredDataMissing || outcome.Assessment is null)
        {
            return SmartPage.Error(StatusCodes.Status502BadGateway, "The patient's record could not be read",
                "The EHR did not return the conditions and medications the assessment needs (" +
                string.Join(", ", outcome.MissingData) + "). Try again in a moment; if it persists, tell IT.");
        }

        return SmartPage.Assessment(result.Record, outcome, time.GetUtcNow());
    }

    /// <summary>
    /// Redis (sessions, Data Protection key ring) not answering: a page saying so (503), never a stack trace; the launch
    /// can be retried from the card.
    /// </summary>
    private static async ValueTask<object?> SharedStateUnavailableAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (RedisFailure(ex) is { } failure)
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SmartEndpoints));
            SmartLog.SharedStateUnavailable(logger, failure.GetType().Name);
            return SmartPage.Error(StatusCodes.Status503ServiceUnavailable, "The assessment is temporarily unavailable",
                "The service could not reach its session store. Open the assessment again from the card in a moment; if it persists, tell IT.");
        }
    }

    private static Exception? RedisFailure(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is RedisException or RedisTimeoutException)
            {
                return ex;
            }
        }

        return null;
    }

    private static (CdsClientOptions? Client, Uri? FhirServer) FindClient(CdsHooksOptions options, string iss)
    {
        if (!Uri.TryCreate(iss, UriKind.Absolute, out var issUri))
        {
            return (null, null);
        }

        var wanted = Normalize(issUri);
        foreach (var client in options.Clients.Where(c => !string.IsNullOrWhiteSpace(c.Smart.ClientId)))
        {
            foreach (var server in client.AllowedFhirServers)
            {
                if (Uri.TryCreate(server, UriKind.Absolute, out var allowed) && Normalize(allowed) == wanted)
                {
                    return (client, allowed);
                }
            }
        }

        return (null, null);
    }

    private static string Normalize(Uri uri) => uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped).ToLowerInvariant()
        + uri.GetComponents(UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');

    private static PendingLaunch? ReadPending(HttpContext http, IDataProtectionProvider protection, TimeProvider time)
    {
        var json = Unprotect(protection.CreateProtector(LaunchPurpose), http.Request.Cookies[LaunchCookie]);
        if (json is null)
        {
            return null;
        }

        try
        {
            var pending = JsonSerializer.Deserialize<PendingLaunch>(json);
            return pending is not null && DateTimeOffset.FromUnixTimeSeconds(pending.Created) + LaunchLifetime > time.GetUtcNow() ? pending : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Unprotect(IDataProtector protector, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// HttpOnly, SameSite=Lax (the authorization server's redirect back is a top-level GET), Secure except plain-http
    /// loopback; browser-session cookies: lifetimes are enforced on the server against <see cref="TimeProvider"/>.
    /// </summary>
    private static CookieOptions CookieOptions(HttpContext http)
    {
        var loopbackHttp = !http.Request.IsHttps && (http.Request.Host.Host is "localhost" || (IPAddress.TryParse(http.Request.Host.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));
        return new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = !loopbackHttp,
            Path = "/smart",
            IsEssential = true,
        };
    }

    private sealed record PendingLaunch(string State, string Verifier, string Iss, string TokenEndpoint, string ClientIssuer, long Created);
}
