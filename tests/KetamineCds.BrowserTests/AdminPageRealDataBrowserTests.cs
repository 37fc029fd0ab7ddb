using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;

namespace KetamineCds.BrowserTests;

/// <summary>
/// The /admin page in chromium against the real service and its storage (SQLite in a temporary folder): signed hook
/// calls and feedback from a registered EHR, a refused call, and a call from the demo EHR, made over HTTP; then the
/// page, opened with the admin key, shows the registered clients and the same numbers as <c>/admin/clients</c> and
/// <c>/admin/stats</c>. The audit trail is written in the background: the calls are made on one process and the page
/// is read from a second one on the same storage (stopping the first writes everything out), so nothing is timed.
/// </summary>
public sealed class AdminPageRealDataBrowserTests : IAsyncLifetime, IDisposable
{
    private const string AdminKey = "browser-admin-key-0123456789";
    private const string HospitalName = "Hospital EHR";
    private const string HospitalIssuer = "https://ehr.hospital.example";
    private const string ScreeningService = "ketamine-trd-screening";

    private readonly ECDsa _hospitalKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly ECDsa _impostorKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "ketaminecds-browser-tests", "admin-" + Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(BrowserFixture.ArtifactsDirectory);
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await BrowserFixture.LaunchChromiumAsync(_playwright);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    public void Dispose()
    {
        _hospitalKey.Dispose();
        _impostorKey.Dispose();
    }

    [Fact]
    public async Task The_page_shows_the_registered_clients_and_the_counts_of_admin_stats_after_real_calls()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?>
        {
            ["Admin:ApiKeys:0"] = AdminKey,
            ["CdsHooks:Clients:0:Name"] = HospitalName,
            ["CdsHooks:Clients:0:Issuer"] = HospitalIssuer,
            ["CdsHooks:Clients:0:Jwks"] = Jwks(_hospitalKey),
        };

        // 1. Real calls on a first process: two patient-view calls and one feedback (overridden) from the hospital,
        //    one call with a forged signature (refused, 401), and one chart opened in the demo EHR.
        await using (var first = DemoServer.With(_dataDirectory, settings))
        {
            await first.InitializeAsync();
            var cardUuids = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                using var answer = await SendAsync(first, $"/cds-services/{ScreeningService}", TrdRequest(), _hospitalKey, ct);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                var cards = JsonNode.Parse(await answer.Content.ReadAsStringAsync(ct))!["cards"]!.AsArray();
                cardUuids.AddRange(cards.Select(c => (string)c!["uuid"]!));
            }

            Assert.NotEmpty(cardUuids);
            var feedback = new JsonObject
            {
                ["feedback"] = new JsonArray(new JsonObject
                {
                    ["card"] = cardUuids[0],
                    ["outcome"] = "overridden",
                    ["outcomeTimestamp"] = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                    ["overrideReason"] = new JsonObject
                    {
                        ["reason"] = new JsonObject { ["system"] = "http://example.org/override-reason", ["code"] = "patient-declined", ["display"] = "Patient declined" },
                    },
                }),
            }.ToJsonString();
            using (var recorded = await SendAsync(first, $"/cds-services/{ScreeningService}/feedback", feedback, _hospitalKey, ct))
            {
                Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
            }

            using (var forged = await SendAsync(first, $"/cds-services/{ScreeningService}", TrdRequest(), _impostorKey, ct))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
            }

            using var demo = await first.Http.PostAsync("/demo/api/patients/demo-trd-candidate/open?prefetch=true", null, ct);
            Assert.Equal(HttpStatusCode.OK, demo.StatusCode);
        }

        // 2. A second process on the same storage: what the admin endpoints answer, and what the page shows.
        await using var second = DemoServer.With(_dataDirectory, settings);
        await second.InitializeAsync();
        var clients = await AdminJsonAsync(second, "/admin/clients", ct);
        var stats = await AdminJsonAsync(second, "/admin/stats", ct);

        var hospital = clients["clients"]!.AsArray().Single(c => (string)c!["name"]! == HospitalName)!;
        Assert.Equal(2, (long)hospital["calls"]!);
        Assert.Equal(1, (long)hospital["rejected"]!["401"]!);
        var demoClient = clients["clients"]!.AsArray().Single(c => (string)c!["name"]! != HospitalName)!;
        Assert.Equal(1, (long)demoClient["calls"]!);
        var screening = stats["services"]!.AsArray().Single(s => (string)s!["id"]! == ScreeningService)!;
        Assert.Equal(3, (long)screening["calls"]!);
        Assert.Equal(1, screening["cards"]!.AsArray().Sum(c => (long)c!["overridden"]!));

        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = second.BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/admin");
        await page.Locator("#api-key").FillAsync(AdminKey);
        await page.Locator("#key-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("body[data-loaded='true']")).ToBeAttachedAsync();
        await BrowserFixture.ScreenshotAsync(page, "admin-real-data");

        // Every registered client, with its issuer, JWKS source, calls and rejections as /admin/clients has them.
        await Assertions.Expect(page.Locator("#clients tbody tr")).ToHaveCountAsync(clients["clients"]!.AsArray().Count);
        foreach (var client in clients["clients"]!.AsArray())
        {
            var row = page.Locator($"#clients tr[data-client='{(string)client!["name"]!}']");
            var cells = await row.Locator("td").AllTextContentsAsync();
            Assert.Equal((string)client["name"]!, cells[0]);
            Assert.Equal((string)client["issuer"]!, cells[1]);
            Assert.StartsWith((string)client["jwksSource"]! == "url" ? "URL " : "inline", cells[3], StringComparison.Ordinal);
            Assert.Equal(string.Join(' ', client["allowedFhirServers"]!.AsArray().Select(s => (string)s!)), cells[4]);
            Assert.Equal(((long)client["calls"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), cells[5]);
            Assert.NotEqual("never", cells[6]);
            Assert.Equal($"{(long)client["rejected"]!["401"]!} / {(long)client["rejected"]!["429"]!}", cells[7]);
        }

        // The charts carry the numbers of /admin/stats: calls per service, cards shown/accepted/overridden, calls per client.
        Assert.Equal(
            stats["services"]!.AsArray().Select(s => ((string)s!["id"]!, (long)s["calls"]!)),
            await ChartAsync(page, "Calls per service"));
        foreach (var service in stats["services"]!.AsArray())
        {
            var id = (string)service!["id"]!;
            await Assertions.Expect(page.Locator($"#stats .service[data-service='{id}'] p.muted")).ToContainTextAsync($"{(long)service["calls"]!} calls;");
            var expected = service["cards"]!.AsArray().SelectMany(c => new[]
            {
                ($"{(string)c!["topic"]!} shown", (long)c["shown"]!),
                ($"{(string)c["topic"]!} accepted", (long)c["accepted"]!),
                ($"{(string)c["topic"]!} overridden", (long)c["overridden"]!),
            });
            Assert.Equal(expected, await ChartAsync(page, $"Cards and feedback: {id}"));
        }

        Assert.Contains(("trd-candidate: Patient declined", 1L), await ChartAsync(page, $"Override reasons: {ScreeningService}"));
        Assert.Equal(
            stats["clients"]!.AsArray().Select(c => ((string)c!["name"]!, (long)c["calls"]!)),
            await ChartAsync(page, "Calls per EHR client"));
        await context.CloseAsync();
    }

    /// <summary>The rows of one of the page's bar charts: (label, value) pairs, read from the SVG text.</summary>
    private static async Task<List<(string, long)>> ChartAsync(IPage page, string title)
    {
        var texts = await page.Locator($"svg[data-chart='{title}'] text").AllTextContentsAsync();
        Assert.Equal(title, texts[0]);
        var rows = new List<(string, long)>();
        for (var i = 1; i + 1 < texts.Count; i += 2)
        {
            rows.Add((texts[i], long.Parse(texts[i + 1], System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static string TrdRequest()
    {
        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "cds-hooks", "examples", "patient-view-trd.request.json")))!;
        request["hookInstance"] = Guid.NewGuid().ToString();
        return request.ToJsonString();
    }

    private static async Task<HttpResponseMessage> SendAsync(DemoServer server, string path, string body, ECDsa key, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(key, server.BaseUrl + path));
        return await server.Http.SendAsync(request, ct);
    }

    private static async Task<JsonNode> AdminJsonAsync(DemoServer server, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", AdminKey);
        using var response = await server.Http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
    }

    /// <summary>A CDS Hooks EHR JWT of the hospital's issuer (ES384), audience the endpoint's URL.</summary>
    private static string Token(ECDsa key, string audience)
    {
        // The service runs on the system clock here (a real process, as an EHR sees it).
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = HospitalIssuer,
            Audience = audience,
            IssuedAt = now,
            Expires = now.AddMinutes(5),
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString() },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = "hospital-1" }, SecurityAlgorithms.EcdsaSha384),
        });
    }

    private static string Jwks(ECDsa key)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = "EC", crv = "P-384", x = Base64UrlEncoder.Encode(p.Q.X!), y = Base64UrlEncoder.Encode(p.Q.Y!), kid = "hospital-1", use = "sig", alg = "ES384" } },
        });
    }

    private static string RepositoryRoot()
        => typeof(BrowserFixture).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
}
