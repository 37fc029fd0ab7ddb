using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.EndToEnd;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace KetamineCds.Api.Tests.Infrastructure;

/// <summary>
/// WireMock.Net as a SMART EHR for the assessment app: the SMART configuration under <c>{url}/fhir</c>, a token endpoint
/// that grants <see cref="AccessToken"/> only for the right grant type, code, redirect URI, client authentication (a
/// confidential client's Basic header, or a public client's <c>client_id</c> in the body and no header) and a PKCE
/// verifier matching the challenge the launch sent, and the example TRD patient as FHIR data.
/// </summary>
internal sealed class SmartEhrStub(WireMockServer ehr, string clientId, string? clientSecret, string code, string accessToken, string patientId, string scope)
{
    public string AccessToken => accessToken;

    /// <summary>The <c>code_challenge</c> of the last launch's authorize redirect (set by <see cref="RecordLaunch"/>).</summary>
    public string? ChallengeSentToEhr { get; set; }

    /// <summary>Serves the configuration with these capabilities, the token endpoint and the example patient.</summary>
    public void Serve(params string[] capabilities)
    {
        var configuration = new JsonObject
        {
            ["issuer"] = ehr.Url,
            ["authorization_endpoint"] = ehr.Url + "/auth/authorize",
            ["token_endpoint"] = ehr.Url + "/auth/token",
            ["capabilities"] = new JsonArray([.. capabilities.Select(c => (JsonNode)c)]),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
        };
        ehr.Given(Request.Create().WithPath("/fhir/.well-known/smart-configuration").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(configuration.ToJsonString()));
        ehr.Given(Request.Create().WithPath("/auth/token").UsingPost()).RespondWith(Response.Create().WithCallback(TokenEndpoint));

        ExampleFhirServer.ServeExamplePatient(ehr, patientId);
    }

    /// <summary>Remembers the challenge of the service's redirect to the EHR's authorize endpoint.</summary>
    public void RecordLaunch(Uri authorizeRedirect) => ChallengeSentToEhr = QueryHelpers.ParseQuery(authorizeRedirect.Query)["code_challenge"];

    private ResponseMessage TokenEndpoint(IRequestMessage request)
    {
        var form = QueryHelpers.ParseQuery(request.Body ?? "");
        var verifier = form.TryGetValue("code_verifier", out var v) ? v.ToString() : "";
        var ok = ClientAuthenticated(request, form)
            && form["grant_type"] == "authorization_code"
            && form["code"] == code
            && form["redirect_uri"] == CdsApiFactory.PublicBaseUrl + "/smart/callback"
            && verifier.Length >= 43
            && Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) == ChallengeSentToEhr;
        var body = ok
            ? new JsonObject { ["access_token"] = accessToken, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = scope, ["patient"] = patientId }
            : new JsonObject { ["error"] = "invalid_grant" };
        return new ResponseMessage
        {
            StatusCode = ok ? 200 : 400,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
            BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String },
        };
    }

    private bool ClientAuthenticated(IRequestMessage request, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form)
    {
        if (clientSecret is null)
        {
            // A public client: its id in the body, no Basic header.
            return form.TryGetValue("client_id", out var id) && id == clientId && request.Headers?.ContainsKey("Authorization") != true;
        }

        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}"));
        return request.Headers?["Authorization"].SingleOrDefault() == basic;
    }
}
