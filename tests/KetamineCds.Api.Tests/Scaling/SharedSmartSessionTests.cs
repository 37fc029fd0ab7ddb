using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.EndToEnd;
using KetamineCds.Api.Tests.Endpoints;
using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace KetamineCds.Api.Tests.Scaling;

/// <summary>
/// The TRD assessment app on two instances sharing a real Redis, without sticky sessions: the Data Protection key ring
/// and the app sessions are in Redis, so a launch started on one instance continues on the other; the access token is
/// stored encrypted, never in clear text; the session ends with the token. WireMock.Net is the EHR (authorization
/// server checking the PKCE verifier, FHIR server); the two instances share a fake clock.
/// </summary>
public sealed class SharedSmartSessionTests : IAsyncLifetime
{
    private const string AccessToken = "smart-shared-access-token-8c41f0a2d9";
    private const string ClientId = "trd-assessment-app";
    private const string Code = "authorization-code-shared";
    private const string PatientId = "example-trd-1";

    private readonly FakeTimeProvider _time = new(ClinicalHost.Now);
    private readonly string _prefix = TestRedis.NewPrefix();
    private WireMockServer _ehr = null!;
    private string? _challengeSentToEhr;

    private string Iss => _ehr.Url + "/fhir";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _ehr = WireMockServer.Start();
        ServeEhr();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _ehr.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Launched_on_one_instance_the_app_opens_on_the_other_with_the_same_cookie()
    {
        await using var a = Instance(TestRedis.Settings(_prefix));
        await using var b = Instance(TestRedis.Settings(_prefix));
        using var onA = Browser(a);
        using var onB = Browser(b);
        var cookies = new CookieJar();

        var state = await LaunchAsync(onA, cookies);
        await CallbackAsync(onA, cookies, state);

        using var page = await GetAsync(onB, cookies, "/smart/app");
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("TRD criteria met", html, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"timeline\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessToken, html, StringComparison.Ordinal);

        // B read the patient's record from the EHR with the session's token.
        var fhirReads = _ehr.LogEntries.Where(e => e.RequestMessage.Path.StartsWith("/fhir/", StringComparison.Ordinal) && !e.RequestMessage.Path.Contains(".well-known", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(fhirReads);
        Assert.All(fhirReads, e => Assert.Equal("Bearer " + AccessToken, e.RequestMessage.Headers!["Authorization"].Single()));
        Assert.DoesNotContain(AccessToken, a.Logs.AllText() + b.Logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callback_may_reach_the_other_instance()
    {
        await using var a = Instance(TestRedis.Settings(_prefix));
        await using var b = Instance(TestRedis.Settings(_prefix));
        using var onA = Browser(a);
        using var onB = Browser(b);
        var cookies = new CookieJar();

        var state = await LaunchAsync(onA, cookies);
        await CallbackAsync(onB, cookies, state);

        using var page = await GetAsync(onA, cookies, "/smart/app");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Redis_holds_the_session_and_key_ring_but_never_the_token_or_patient_in_clear_text()
    {
        await using var a = Instance(TestRedis.Settings(_prefix));
        using var onA = Browser(a);
        var cookies = new CookieJar();
        var state = await LaunchAsync(onA, cookies);
        await CallbackAsync(onA, cookies, state);

        using var redis = await ConnectionMultiplexer.ConnectAsync(TestRedis.Configuration);
        var server = redis.GetServer(redis.GetEndPoints().Single());
        var database = redis.GetDatabase();
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: _prefix + "*").WithCancellation(Ct))
        {
            keys.Add(key);
        }

        var session = Assert.Single(keys, k => k.ToString().StartsWith(_prefix + "smart-session:", StringComparison.Ordinal));
        Assert.DoesNotContain(cookies["ketamine-smart-session"], session.ToString(), StringComparison.Ordinal);
        var ttl = await database.KeyTimeToLiveAsync(session);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(300)); // expires_in of the token
        Assert.Contains(keys, k => k == _prefix + "data-protection-keys");

        foreach (var key in keys)
        {
            var values = await database.KeyTypeAsync(key) switch
            {
                RedisType.String => [(byte[])(await database.StringGetAsync(key))!],
                RedisType.List => (await database.ListRangeAsync(key)).Select(v => (byte[])v!).ToArray(),
                var other => throw new InvalidOperationException($"Unexpected Redis type {other} of {key}"),
            };
            foreach (var value in values)
            {
                Assert.Equal(-1, value.AsSpan().IndexOf(Encoding.UTF8.GetBytes(AccessToken)));
                Assert.Equal(-1, value.AsSpan().IndexOf(Encoding.UTF8.GetBytes(PatientId)));
            }
        }
    }

    [Fact]
    public async Task The_shared_session_expires_with_the_token()
    {
        await using var a = Instance(TestRedis.Settings(_prefix));
        await using var b = Instance(TestRedis.Settings(_prefix));
        using var onA = Browser(a);
        using var onB = Browser(b);
        var cookies = new CookieJar();
        var state = await LaunchAsync(onA, cookies);
        await CallbackAsync(onA, cookies, state);

        _time.Advance(TimeSpan.FromSeconds(299));
        using (var stillValid = await GetAsync(onB, cookies, "/smart/app"))
        {
            Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        using var expired = await GetAsync(onB, cookies, "/smart/app");

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("The session has expired", await expired.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_Redis_the_other_instance_does_not_know_the_session()
    {
        // The contrast that shows what Redis adds (and that the tests above can fail): per-process sessions and keys.
        await using var a = Instance([]);
        await using var b = Instance([]);
        using var onA = Browser(a);
        using var onB = Browser(b);
        var cookies = new CookieJar();
        var state = await LaunchAsync(onA, cookies);
        await CallbackAsync(onA, cookies, state);

        using var sameInstance = await GetAsync(onA, cookies, "/smart/app");
        using var otherInstance = await GetAsync(onB, cookies, "/smart/app");

        Assert.Equal(HttpStatusCode.OK, sameInstance.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherInstance.StatusCode);
    }

    [Fact]
    public async Task Redis_down_gives_a_clear_page_not_an_error()
    {
        await using var a = Instance(TestRedis.Settings(_prefix, TestRedis.Unreachable));
        using var onA = Browser(a);

        using var launch = await GetAsync(onA, new CookieJar(), $"/smart/launch?iss={Uri.EscapeDataString(Iss)}&launch=launch-ctx-7");
        var html = await launch.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, launch.StatusCode);
        Assert.Equal("text/html", launch.Content.Headers.ContentType!.MediaType);
        Assert.Contains("temporarily unavailable", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", html, StringComparison.Ordinal);
        Assert.Contains(a.Logs.Entries, e => e.EventId.Id == 8008);
    }

    private CdsApiFactory Instance(IEnumerable<KeyValuePair<string, string?>> redis) => new(
        new Dictionary<string, string?>
        {
            ["CdsHooks:Clients:0:Name"] = "Example EHR",
            ["CdsHooks:Clients:0:Issuer"] = "https://ehr.example.org",
            ["CdsHooks:Clients:0:JwksUrl"] = "https://ehr.example.org/jwks.json",
            ["CdsHooks:Clients:0:AllowedFhirServers:0"] = Iss,
            ["CdsHooks:Clients:0:Smart:ClientId"] = ClientId,
        }.Concat(redis),
        s => s.AddSingleton<TimeProvider>(_time));

    private static HttpClient Browser(CdsApiFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private async Task<string> LaunchAsync(HttpClient browser, CookieJar cookies)
    {
        using var launch = await GetAsync(browser, cookies, $"/smart/launch?iss={Uri.EscapeDataString(Iss)}&launch=launch-ctx-7");
        Assert.Equal(HttpStatusCode.Redirect, launch.StatusCode);
        var query = QueryHelpers.ParseQuery(launch.Headers.Location!.Query);
        _challengeSentToEhr = query["code_challenge"];
        return query["state"]!;
    }

    private static async Task CallbackAsync(HttpClient browser, CookieJar cookies, string state)
    {
        using var callback = await GetAsync(browser, cookies, $"/smart/callback?code={Code}&state={Uri.EscapeDataString(state)}");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.EndsWith("/smart/app", callback.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.True(cookies.Contains("ketamine-smart-session"));
    }

    /// <summary>A GET as the browser makes it: the jar's cookies sent, the answer's Set-Cookie kept.</summary>
    private static async Task<HttpResponseMessage> GetAsync(HttpClient browser, CookieJar cookies, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookies.Header() is { Length: > 0 } header)
        {
            request.Headers.Add("Cookie", header);
        }

        var response = await browser.SendAsync(request, Ct);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            cookies.Update(setCookies);
        }

        return response;
    }

    /// <summary>The EHR: SMART configuration, a token endpoint that checks code, redirect URI and PKCE, and FHIR data.</summary>
    private void ServeEhr()
    {
        var configuration = new JsonObject
        {
            ["issuer"] = _ehr.Url,
            ["authorization_endpoint"] = _ehr.Url + "/auth/authorize",
            ["token_endpoint"] = _ehr.Url + "/auth/token",
            ["capabilities"] = new JsonArray("launch-ehr", "client-public", "permission-v2"),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
        };
        _ehr.Given(Request.Create().WithPath("/fhir/.well-known/smart-configuration").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(configuration.ToJsonString()));
        _ehr.Given(Request.Create().WithPath("/auth/token").UsingPost()).RespondWith(Response.Create().WithCallback(TokenEndpoint));

        ExampleFhirServer.ServeExamplePatient(_ehr, PatientId);
    }

    private ResponseMessage TokenEndpoint(IRequestMessage request)
    {
        var form = QueryHelpers.ParseQuery(request.Body ?? "");
        var verifier = form.TryGetValue("code_verifier", out var v) ? v.ToString() : "";
        var ok = form["grant_type"] == "authorization_code"
            && form["code"] == Code
            && form.TryGetValue("client_id", out var clientId) && clientId == ClientId // a public client: id in the body, no Basic header
            && request.Headers?.ContainsKey("Authorization") != true
            && form["redirect_uri"] == CdsApiFactory.PublicBaseUrl + "/smart/callback"
            && Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) == _challengeSentToEhr;
        var body = ok
            ? new JsonObject { ["access_token"] = AccessToken, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "launch patient/*.rs", ["patient"] = PatientId }
            : new JsonObject { ["error"] = "invalid_grant" };
        return new ResponseMessage
        {
            StatusCode = ok ? 200 : 400,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
            BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String },
        };
    }

    /// <summary>The browser's cookies for the service (one origin, path /smart): set, replaced, deleted by Set-Cookie.</summary>
    private sealed class CookieJar
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        public string this[string name] => _cookies[name];

        public bool Contains(string name) => _cookies.ContainsKey(name);

        public string Header() => string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));

        public void Update(IEnumerable<string> setCookies)
        {
            foreach (var setCookie in setCookies)
            {
                var pair = setCookie.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = pair[..eq].Trim();
                var value = pair[(eq + 1)..].Trim();
                var expired = setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                if (value.Length == 0 || expired)
                {
                    _cookies.Remove(name);
                }
                else
                {
                    _cookies[name] = value;
                }
            }
        }
    }
}
