using System.Net;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.EndToEnd;
using KetamineCds.Api.Tests.Endpoints;
using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace KetamineCds.Api.Tests.Smart;

/// <summary>
/// The SMART EHR launch end to end, with WireMock.Net as the EHR's authorization server (which checks the PKCE
/// verifier against the challenge it was sent) and FHIR server, and a fake clock.
/// </summary>
public sealed class SmartLaunchTests : IAsyncLifetime
{
    private const string AccessToken = "smart-access-token-5d1e9b77c2";
    private const string ClientId = "trd-assessment-app";
    private const string ClientSecret = "app-secret-93af";
    private const string Code = "authorization-code-1";
    private const string PatientId = "example-trd-1";

    private readonly FakeTimeProvider _time = new(ClinicalHost.Now);
    private WireMockServer _ehr = null!;
    private SmartEhrStub _smart = null!;
    private WireMockServer _stranger = null!;
    private CdsApiFactory _factory = null!;
    private HttpClient _browser = null!;

    private string Iss => _ehr.Url + "/fhir";

    public ValueTask InitializeAsync()
    {
        _ehr = WireMockServer.Start();
        _smart = new SmartEhrStub(_ehr, ClientId, ClientSecret, Code, AccessToken, PatientId, "launch openid fhirUser patient/*.rs");
        _stranger = WireMockServer.Start();
        _factory = StartHost(v2: true);
        _browser = Browser(_factory);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
        await _factory.DisposeAsync();
        _ehr.Dispose();
        _stranger.Dispose();
    }

    [Fact]
    public async Task Whole_launch_reaches_the_assessment_page_with_the_timeline()
    {
        var authorize = await LaunchAsync();

        Assert.StartsWith(_ehr.Url + "/auth/authorize?", authorize.AbsoluteUri, StringComparison.Ordinal);
        var q = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("code", q["response_type"]);
        Assert.Equal(ClientId, q["client_id"]);
        Assert.Equal(CdsApiFactory.PublicBaseUrl + "/smart/callback", q["redirect_uri"]);
        Assert.Equal("launch-ctx-42", q["launch"]);
        Assert.Equal(Iss, q["aud"]);
        Assert.Equal("S256", q["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(q["state"]));
        var scopes = q["scope"].ToString().Split(' ');
        Assert.Contains("launch", scopes);
        Assert.Contains("openid", scopes);
        Assert.Contains("fhirUser", scopes);
        Assert.Contains("patient/Observation.rs", scopes);
        Assert.Contains("patient/MedicationRequest.rs", scopes);
        Assert.DoesNotContain(scopes, s => s.EndsWith(".read", StringComparison.Ordinal));

        using var callback = await _browser.GetAsync($"/smart/callback?code={Code}&state={Uri.EscapeDataString(q["state"]!)}", Ct);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(CdsApiFactory.PublicBaseUrl + "/smart/app", callback.Headers.Location!.ToString());
        var sessionCookie = callback.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ketamine-smart-session=", StringComparison.Ordinal));
        Assert.Contains("httponly", sessionCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", sessionCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AccessToken, sessionCookie, StringComparison.Ordinal);
        Assert.Single(_ehr.LogEntries, e => e.RequestMessage.Path == "/auth/token" && e.ResponseMessage.StatusCode is 200);

        using var page = await _browser.GetAsync("/smart/app", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg class=\"timeline\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"trial\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"phq9\"", html, StringComparison.Ordinal);
        Assert.Contains("sertraline", html, StringComparison.Ordinal);
        Assert.Contains("TRD criteria met", html, StringComparison.Ordinal);
        Assert.Contains("Maudsley", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        // The patient's data came from the EHR's FHIR server with the session's token; the token never left the server.
        var fhirCalls = _ehr.LogEntries.Where(e => e.RequestMessage.Path.StartsWith("/fhir/", StringComparison.Ordinal) && !e.RequestMessage.Path.Contains(".well-known", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(fhirCalls);
        Assert.All(fhirCalls, c => Assert.Equal("Bearer " + AccessToken, c.RequestMessage.Headers!["Authorization"].Single()));
        Assert.DoesNotContain(AccessToken, html, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessToken, _factory.Logs.AllText(), StringComparison.Ordinal);
        // The single-use code is useless without the PKCE verifier; only ASP.NET Core's request-line log (Information,
        // off under the shipped "Microsoft.AspNetCore": "Warning") shows the query string. The service itself never logs it.
        Assert.DoesNotContain(_factory.Logs.Entries, e => e.Category != "Microsoft.AspNetCore.Hosting.Diagnostics" && e.Message.Contains(Code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ehr_supplied_text_is_html_encoded()
    {
        var prefetch = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!["prefetch"]!.AsObject();
        var patient = prefetch["patient"]!.AsObject();
        patient["name"] = new JsonArray(new JsonObject { ["family"] = "<script>alert(1)</script>", ["given"] = new JsonArray("<img src=x onerror=alert(2)>") });
        _ehr.Given(Request.Create().WithPath("/fhir/Patient/" + PatientId).UsingGet()).AtPriority(-10)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(patient.ToJsonString()));
        var authorize = await LaunchAsync();
        var state = QueryHelpers.ParseQuery(authorize.Query)["state"].ToString();
        using var callback = await _browser.GetAsync($"/smart/callback?code={Code}&state={Uri.EscapeDataString(state)}", Ct);

        using var page = await _browser.GetAsync("/smart/app", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_offering_only_v1_scopes_gets_read_scopes()
    {
        await using var factory = StartHost(v2: false);
        using var browser = Browser(factory);
        var authorize = await LaunchAsync(browser);

        var scopes = QueryHelpers.ParseQuery(authorize.Query)["scope"].ToString().Split(' ');
        Assert.Contains("patient/Condition.read", scopes);
        Assert.DoesNotContain(scopes, s => s.EndsWith(".rs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_verifier_is_refused_by_the_authorization_server_and_no_session_starts()
    {
        var authorize = await LaunchAsync();
        var state = QueryHelpers.ParseQuery(authorize.Query)["state"].ToString();
        _smart.ChallengeSentToEhr = "not-the-challenge";

        using var callback = await _browser.GetAsync($"/smart/callback?code={Code}&state={Uri.EscapeDataString(state)}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        Assert.Contains("refused", await callback.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var page = await _browser.GetAsync("/smart/app", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
    }

    [Fact]
    public async Task State_mismatch_is_refused_without_a_token_request()
    {
        await LaunchAsync();

        using var callback = await _browser.GetAsync($"/smart/callback?code={Code}&state=forged-state", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        var html = await callback.Content.ReadAsStringAsync(Ct);
        Assert.Contains("could not be verified", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", html, StringComparison.Ordinal);
        Assert.DoesNotContain(_ehr.LogEntries, e => e.RequestMessage.Path == "/auth/token");
    }

    [Fact]
    public async Task Callback_from_another_browser_without_the_launch_cookie_is_refused()
    {
        var authorize = await LaunchAsync();
        var state = QueryHelpers.ParseQuery(authorize.Query)["state"].ToString();
        using var otherBrowser = Browser(_factory);

        using var callback = await otherBrowser.GetAsync($"/smart/callback?code={Code}&state={Uri.EscapeDataString(state)}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        Assert.Contains("expired", await callback.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.DoesNotContain(_ehr.LogEntries, e => e.RequestMessage.Path == "/auth/token");
    }

    [Fact]
    public async Task Launch_older_than_ten_minutes_has_expired()
    {
        var authorize = await LaunchAsync();
        var state = QueryHelpers.ParseQuery(authorize.Query)["state"].ToString();
        _time.Advance(TimeSpan.FromMinutes(11));

        using var callback = await _browser.GetAsync($"/smart/callback?code={Code}&state={Uri.EscapeDataString(state)}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        Assert.Contains("The launch has expired", await callback.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_denying_access_gets_a_clear_page()
    {
        var authorize = await LaunchAsync();
        var state = QueryHelpers.ParseQuery(authorize.Query)["state"].ToString();

        using var callback = await _browser.GetAsync($"/smart/callback?error=access_denied&state={Uri.EscapeDataString(state)}", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
        Assert.Contains("Access was not granted", await callback.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iss_not_allowed_is_refused_with_no_request_to_it()
    {
        _stranger.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));

        using var launch = await _browser.GetAsync($"/smart/launch?iss={Uri.EscapeDataString(_stranger.Url + "/fhir")}&launch=x", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, launch.StatusCode);
        Assert.Contains("not registered", await launch.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(_stranger.LogEntries);
    }

    [Fact]
    public async Task Unreachable_ehr_gets_a_clear_page()
    {
        _ehr.Reset();
        _ehr.Given(Request.Create().WithPath("/fhir/.well-known/smart-configuration")).RespondWith(Response.Create().WithStatusCode(503));

        using var launch = await _browser.GetAsync($"/smart/launch?iss={Uri.EscapeDataString(Iss)}&launch=x", Ct);

        Assert.Equal(HttpStatusCode.BadGateway, launch.StatusCode);
        Assert.Contains("could not be reached", await launch.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_expires_with_the_token()
    {
        var authorize = await LaunchAsync();
        var state = QueryHelpers.ParseQuery(authorize.Query)["state"].ToString();
        using var callback = await _browser.GetAsync($"/smart/callback?code={Code}&state={Uri.EscapeDataString(state)}", Ct);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        _time.Advance(TimeSpan.FromSeconds(299));
        using var stillValid = await _browser.GetAsync("/smart/app", Ct);
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);

        _time.Advance(TimeSpan.FromSeconds(2));
        using var expired = await _browser.GetAsync("/smart/app", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("The session has expired", await expired.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpClient Browser(CdsApiFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private CdsApiFactory StartHost(bool v2)
    {
        ServeEhr(v2);
        return new CdsApiFactory(
            new Dictionary<string, string?>
            {
                ["CdsHooks:Clients:0:Name"] = "Example EHR",
                ["CdsHooks:Clients:0:Issuer"] = "https://ehr.example.org",
                ["CdsHooks:Clients:0:JwksUrl"] = "https://ehr.example.org/jwks.json",
                ["CdsHooks:Clients:0:AllowedFhirServers:0"] = _ehr.Url + "/fhir",
                ["CdsHooks:Clients:0:Smart:ClientId"] = ClientId,
                ["CdsHooks:Clients:0:Smart:ClientSecret"] = ClientSecret,
            },
            s => s.AddSingleton<TimeProvider>(_time));
    }

    private Task<Uri> LaunchAsync() => LaunchAsync(_browser);

    private async Task<Uri> LaunchAsync(HttpClient browser)
    {
        using var launch = await browser.GetAsync($"/smart/launch?iss={Uri.EscapeDataString(Iss)}&launch=launch-ctx-42", Ct);
        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        var location = launch.Headers.Location!;
        _smart.RecordLaunch(location);
        return location;
    }

    /// <summary>The EHR afresh: SMART v2 (confidential client, Basic authentication) or v1 capabilities.</summary>
    private void ServeEhr(bool v2)
    {
        _ehr.Reset();
        _smart.Serve(v2 ? ["launch-ehr", "client-confidential-symmetric", "permission-v2"] : ["launch-ehr", "permission-v1"]);
    }
}
