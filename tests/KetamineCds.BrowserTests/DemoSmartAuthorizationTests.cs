using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace KetamineCds.BrowserTests;

/// <summary>
/// The demo as the EHR side of SMART App Launch 2.0 (EHR launch): the card's launch, smart-configuration, authorize
/// (PKCE S256, state, aud, launch) and token (verifier checked), then FHIR reads with the token, as an app does.
/// </summary>
public sealed class DemoSmartAuthorizationTests(DemoServer server) : IClassFixture<DemoServer>, IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };

    public void Dispose() => _http.Dispose();

    private string Callback => server.BaseUrl + "/smart/callback";

    private string FhirBase => server.BaseUrl + "/demo/fhir";

    [Fact]
    public async Task Full_ehr_launch_gives_a_patient_token_that_reads_that_patient_only()
    {
        var (iss, launch) = await LaunchAsync("demo-trd-candidate");
        Assert.Equal(FhirBase, iss);

        var configuration = await _http.GetFromJsonAsync<JsonObject>($"{iss}/.well-known/smart-configuration", TestContext.Current.CancellationToken);
        Assert.Contains("S256", configuration!["code_challenge_methods_supported"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("launch-ehr", configuration["capabilities"]!.AsArray().Select(v => v!.GetValue<string>()));

        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var code = await AuthorizeAsync(configuration["authorization_endpoint"]!.GetValue<string>(), launch, Challenge(verifier), "state-1");
        var token = await TokenAsync(configuration["token_endpoint"]!.GetValue<string>(), code, verifier);
        Assert.Equal(HttpStatusCode.OK, token.Status);
        Assert.Equal("demo-trd-candidate", token.Body["patient"]!.GetValue<string>());
        Assert.Equal("Bearer", token.Body["token_type"]!.GetValue<string>());

        using var read = new HttpRequestMessage(HttpMethod.Get, $"{FhirBase}/Condition?patient=demo-trd-candidate");
        read.Headers.Authorization = new("Bearer", token.Body["access_token"]!.GetValue<string>());
        using var response = await _http.SendAsync(read, TestContext.Current.CancellationToken);
        var bundle = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal(1, bundle["total"]!.GetValue<int>());

        using var other = new HttpRequestMessage(HttpMethod.Get, $"{FhirBase}/Condition?patient=demo-trd-avm");
        other.Headers.Authorization = new("Bearer", token.Body["access_token"]!.GetValue<string>());
        using var otherResponse = await _http.SendAsync(other, TestContext.Current.CancellationToken);
        Assert.Equal(0, JsonNode.Parse(await otherResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_wrong_pkce_verifier_is_refused_and_the_code_is_single_use()
    {
        var (_, launch) = await LaunchAsync("demo-trd-avm");
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var code = await AuthorizeAsync(server.BaseUrl + "/demo/oauth/authorize", launch, Challenge(verifier), "s");
        var wrong = await TokenAsync(server.BaseUrl + "/demo/oauth/token", code, verifier + "x");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal("invalid_grant", wrong.Body["error"]!.GetValue<string>());
        var again = await TokenAsync(server.BaseUrl + "/demo/oauth/token", code, verifier);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
    }

    [Fact]
    public async Task A_code_is_redeemed_only_by_the_client_it_was_issued_to()
    {
        var (_, launch) = await LaunchAsync("demo-trd-avm");
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var code = await AuthorizeAsync(server.BaseUrl + "/demo/oauth/authorize", launch, Challenge(verifier), "s");
        var other = await TokenAsync(server.BaseUrl + "/demo/oauth/token", code, verifier, clientId: "another-app");
        Assert.Equal(HttpStatusCode.BadRequest, other.Status);
    }

    [Theory]
    [InlineData("aud")]
    [InlineData("launch")]
    [InlineData("code_challenge_method")]
    public async Task Authorize_refuses_a_wrong_aud_launch_or_challenge_method_back_to_the_app_with_its_state(string spoil)
    {
        var (_, launch) = await LaunchAsync("demo-trd-avm");
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = "ketamine-cds",
            ["redirect_uri"] = Callback,
            ["scope"] = "launch patient/*.rs",
            ["state"] = "st",
            ["aud"] = spoil == "aud" ? "https://elsewhere.example.org/fhir" : FhirBase,
            ["launch"] = spoil == "launch" ? "unknown" : launch,
            ["code_challenge"] = Challenge("v"),
            ["code_challenge_method"] = spoil == "code_challenge_method" ? "plain" : "S256",
        };
        using var response = await _http.GetAsync(QueryHelpers.AddQueryString("/demo/oauth/authorize", query), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.False(location.ContainsKey("code"));
        Assert.True(location.ContainsKey("error"));
        Assert.Equal("st", location["state"].ToString());
    }

    [Fact]
    public async Task The_launch_endpoint_launches_only_this_service_apps()
    {
        using var response = await _http.GetAsync("/demo/launch?patient=demo-trd-avm&url=" + Uri.EscapeDataString("https://evil.example.org/launch"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<(string Iss, string Launch)> LaunchAsync(string patient)
    {
        using var response = await _http.GetAsync($"/demo/launch?patient={patient}&url={Uri.EscapeDataString(server.BaseUrl + "/smart/launch")}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(server.BaseUrl + "/smart/launch?", location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        return (query["iss"].ToString(), query["launch"].ToString());
    }

    private async Task<string> AuthorizeAsync(string endpoint, string launch, string challenge, string state)
    {
        var url = QueryHelpers.AddQueryString(endpoint, new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = "ketamine-cds",
            ["redirect_uri"] = Callback,
            ["scope"] = "launch openid patient/Condition.rs patient/Observation.rs",
            ["state"] = state,
            ["aud"] = FhirBase,
            ["launch"] = launch,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });
        using var response = await _http.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(Callback + "?", location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(state, query["state"].ToString());
        return query["code"].ToString();
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> TokenAsync(string endpoint, string code, string verifier, string clientId = "ketamine-cds")
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = Callback,
            ["code_verifier"] = verifier,
            ["client_id"] = clientId,
        });
        using var response = await _http.PostAsync(endpoint, form, TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!);
    }

    private static string Challenge(string verifier) => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
