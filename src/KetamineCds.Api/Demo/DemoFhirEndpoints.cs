using System.Text.Json.Nodes;
using KetamineCds.Api.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace KetamineCds.Api.Demo;

/// <summary>
/// The demo EHR's FHIR R4 server (read, and search by patient, with a demo bearer token bound to one patient) and its
/// SMART App Launch 2.0 authorization server (smart-configuration, authorize with PKCE S256, token).
/// </summary>
internal static class DemoFhirEndpoints
{
    private const string FhirJson = "application/fhir+json";

    private static readonly string[] SearchableTypes =
        ["Patient", "Condition", "MedicationRequest", "MedicationStatement", "MedicationDispense", "Observation", "AllergyIntolerance", "Procedure", "ServiceRequest"];

    public static void Map(RouteGroupBuilder demo)
    {
        demo.MapGet("/fhir/.well-known/smart-configuration", SmartConfiguration);
        demo.MapGet("/fhir/metadata", Metadata);
        demo.MapGet("/fhir/{type}/{id}", Read);
        demo.MapGet("/fhir/{type}", Search);
        demo.MapGet("/oauth/authorize", Authorize);
        demo.MapPost("/oauth/token", TokenAsync).DisableAntiforgery();
    }

    private static ContentHttpResult SmartConfiguration(DemoEhr ehr, IOptions<CdsHooksOptions> options)
    {
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        var configuration = new JsonObject
        {
            ["issuer"] = ehr.FhirBase,
            ["authorization_endpoint"] = baseUrl + "/demo/oauth/authorize",
            ["token_endpoint"] = baseUrl + "/demo/oauth/token",
            ["token_endpoint_auth_methods_supported"] = new JsonArray("none", "client_secret_basic", "client_secret_post"),
            ["grant_types_supported"] = new JsonArray("authorization_code"),
            ["response_types_supported"] = new JsonArray("code"),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
            ["scopes_supported"] = new JsonArray("launch", "openid", "fhirUser", "patient/*.rs", "patient/*.read"),
            ["capabilities"] = new JsonArray("launch-ehr", "client-public", "client-confidential-symmetric", "context-ehr-patient", "permission-patient", "permission-v1", "permission-v2"),
        };
        return TypedResults.Content(configuration.ToJsonString(), "application/json");
    }

    private static ContentHttpResult Metadata(DemoEhr ehr) => Fhir(new JsonObject
    {
        ["resourceType"] = "CapabilityStatement",
        ["status"] = "active",
        ["kind"] = "instance",
        ["fhirVersion"] = "4.0.1",
        ["format"] = new JsonArray("json"),
        ["implementation"] = new JsonObject { ["description"] = "KetamineCds demo EHR", ["url"] = ehr.FhirBase },
    });

    private static ContentHttpResult Read(string type, string id, HttpContext http, DemoPatientStore store, DemoAuthorizationServer authorization)
    {
        if (Grant(http, authorization) is not { } grant)
        {
            return Unauthorized();
        }

        var hit = store.Read(type, id);
        return hit is { } found && found.PatientId == grant.PatientId ? Fhir(found.Resource) : NotFound($"{type}/{id} is not known.");
    }

    private static ContentHttpResult Search(string type, HttpContext http, DemoPatientStore store, DemoAuthorizationServer authorization, DemoEhr ehr)
    {
        if (Grant(http, authorization) is not { } grant)
        {
            return Unauthorized();
        }

        var query = http.Request.Query;
        var patient = First(query["patient"]) ?? First(query["subject"])?.Replace("Patient/", "", StringComparison.Ordinal)
            ?? (type == "Patient" ? First(query["_id"]) : null);
        if (!SearchableTypes.Contains(type) || patient is null)
        {
            return Fhir(OperationOutcome("not-supported", "The demo FHIR server searches by patient only."), StatusCodes.Status400BadRequest);
        }

        // A token for one patient never reads another's records.
        return patient == grant.PatientId ? Fhir(ehr.SearchBundle(patient, type)) : Fhir(ehr.SearchBundle("", type));
    }

    /// <summary>Authorization endpoint: auto-approves EHR launches of the demo's own patients.</summary>
    private static IResult Authorize(HttpContext http, DemoAuthorizationServer authorization, DemoEhr ehr, IOptions<CdsHooksOptions> options)
    {
        var q = http.Request.Query;
        var redirectUri = First(q["redirect_uri"]);
        var expected = options.Value.PublicBaseUrl.TrimEnd('/') + "/smart/callback";
        if (redirectUri != expected)
        {
            return ErrorPage("The redirect_uri is not registered with the demo EHR.");
        }

        var state = First(q["state"]);
        string? error = null;
        var patient = authorization.LaunchPatient(First(q["launch"]));
        if (First(q["response_type"]) != "code")
        {
            error = "unsupported_response_type";
        }
        else if (string.IsNullOrEmpty(First(q["client_id"])) || string.IsNullOrEmpty(state))
        {
            error = "invalid_request";
        }
        else if (First(q["aud"]) != ehr.FhirBase)
        {
            error = "invalid_request";
        }
        else if (First(q["code_challenge_method"]) != "S256" || string.IsNullOrEmpty(First(q["code_challenge"])))
        {
            error = "invalid_request";
        }
        else if (patient is null)
        {
            error = "access_denied";
        }

        if (error is not null)
        {
            return TypedResults.Redirect($"{redirectUri}?error={error}{(state is null ? "" : "&state=" + Uri.EscapeDataString(state))}");
        }

        var scope = string.Join(' ', (First(q["scope"]) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s is "launch" or "openid" or "fhirUser" || s.StartsWith("patient/", StringComparison.Ordinal)));
        var code = authorization.CreateCode(patient!, First(q["client_id"])!, redirectUri, First(q["code_challenge"])!, scope);
        return TypedResults.Redirect($"{redirectUri}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state!)}");
    }

    private static async Task<IResult> TokenAsync(HttpContext http, DemoAuthorizationServer authorization, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            return TokenError("invalid_request");
        }

        var form = await http.Request.ReadFormAsync(cancellationToken);
        if (First(form["grant_type"]) != "authorization_code")
        {
            return TokenError("unsupported_grant_type");
        }

        var issued = authorization.Redeem(First(form["code"]), First(form["redirect_uri"]), First(form["code_verifier"]), First(form["client_id"]));
        if (issued is not { } granted)
        {
            return TokenError("invalid_grant");
        }

        return TypedResults.Json(new
        {
            access_token = granted.Token,
            token_type = "Bearer",
            expires_in = (int)DemoAuthorizationServer.TokenLifetime.TotalSeconds,
            scope = granted.Grant.Scope,
            patient = granted.Grant.PatientId,
        });
    }

    private static DemoAccessToken? Grant(HttpContext http, DemoAuthorizationServer authorization)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization.Validate(header["Bearer ".Length..].Trim()) : null;
    }

    private static string? First(StringValues values) => values.Count > 0 ? values[0] : null;

    private static JsonHttpResult<TokenErrorBody> TokenError(string error) => TypedResults.Json(new TokenErrorBody(error), statusCode: StatusCodes.Status400BadRequest);

    private static ContentHttpResult Unauthorized() => Fhir(OperationOutcome("login", "A demo access token is required."), StatusCodes.Status401Unauthorized);

    private static ContentHttpResult NotFound(string message) => Fhir(OperationOutcome("not-found", message), StatusCodes.Status404NotFound);

    private static ContentHttpResult ErrorPage(string message)
        => TypedResults.Content($"<!doctype html><title>Demo EHR</title><p>{System.Net.WebUtility.HtmlEncode(message)}</p>", "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

    private static ContentHttpResult Fhir(JsonObject resource, int status = StatusCodes.Status200OK)
        => TypedResults.Content(resource.ToJsonString(), FhirJson, statusCode: status);

    private static JsonObject OperationOutcome(string code, string message) => new()
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject { ["severity"] = "error", ["code"] = code, ["diagnostics"] = message }),
    };

    private sealed record TokenErrorBody(string Error);
}
