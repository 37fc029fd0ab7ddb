using System.Net;
using System.Text;
using KetamineCds.Api.Tests.EndToEnd;
using KetamineCds.Api.Tests.Endpoints;
using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WireMock.Server;

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
    private SmartEhrStub _smart = null!;

    private string Iss => _ehr.Url + "/fhir";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _ehr = WireMockServer.Start();
        _smart = new SmartEhrStub(_ehr, ClientId, clientSecret: null, Code, AccessToken, PatientId, "launch patient/*.rs");
        _smart.Serve("launch-ehr", "client-public", "permission-v2");
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
        _smart.RecordLaunch(launch.Headers.Location!);
        return QueryHelpers.ParseQuery(launch.Headers.Location!.Query)["state"]!;
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
