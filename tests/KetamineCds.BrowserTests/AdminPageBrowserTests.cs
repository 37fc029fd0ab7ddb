using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace KetamineCds.BrowserTests;

/// <summary>
/// The /admin page in chromium with canned answers of the documented contract (a JWKS fetched from a URL, a tenant,
/// rejections, override reasons, a refused key), checking what the page sends (the key from sessionStorage, as
/// X-Api-Key) and draws. The page against the real service and storage: <see cref="AdminPageRealDataBrowserTests"/>.
/// </summary>
public sealed class AdminPageBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Clients = """
        {"clients":[{"name":"Hospital EHR","issuer":"https://ehr.example.org","tenant":"t1","jwksSource":"url",
          "jwksUrl":"https://ehr.example.org/jwks","jwksFetched":true,"jwksLastFetched":"2026-12-03T06:00:00Z",
          "allowedFhirServers":["https://ehr.example.org/fhir"],"calls":120,"lastCall":"2026-12-03T06:30:00Z","rejected":{"401":3,"429":0}}]}
        """;

    private const string Stats = """
        {"from":"2026-11-03T00:00:00Z","to":"2026-12-03T00:00:00Z",
         "services":[{"id":"ketamine-trd-screening","calls":120,"latencyMs":{"p50":1.2,"p95":3.4,"p99":6.0},
           "cards":[{"topic":"trd-candidate","indicator":"info","shown":40,"accepted":12,"overridden":9,
             "overrideReasons":[{"code":"benefit-outweighs-risk","display":"Benefit outweighs risk","count":5}]}]}],
         "clients":[{"name":"Hospital EHR","calls":120,"lastCall":"2026-12-03T06:30:00Z","rejected":{"401":3,"429":0}}]}
        """;

    [Fact]
    public async Task The_key_is_sent_as_X_Api_Key_and_clients_and_statistics_are_drawn_as_svg()
    {
        var page = await fixture.NewPageAsync();
        var keys = new ConcurrentBag<string?>();
        await page.RouteAsync("**/admin/clients", route => Answer(route, Clients, keys));
        await page.RouteAsync("**/admin/stats", route => Answer(route, Stats, keys));

        await page.GotoAsync("/admin");
        await page.Locator("#api-key").FillAsync("secret-admin-key");
        await page.Locator("#key-form button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator("body[data-loaded='true']")).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#clients tr[data-client='Hospital EHR']")).ToContainTextAsync("https://ehr.example.org/jwks");
        await Assertions.Expect(page.Locator("#clients tr[data-client='Hospital EHR'] td.bad")).ToHaveTextAsync("3 / 0");
        await Assertions.Expect(page.Locator("svg[data-chart='Calls per service'] rect")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("svg[data-chart='Cards and feedback: ketamine-trd-screening'] rect")).ToHaveCountAsync(3);
        Assert.All(keys, k => Assert.Equal("secret-admin-key", k));
        Assert.Equal("secret-admin-key", await page.EvaluateAsync<string>("sessionStorage.getItem('ketamineCdsAdminKey')"));
        await BrowserFixture.ScreenshotAsync(page, "admin");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_refused_key_is_reported_and_nothing_is_drawn()
    {
        var page = await fixture.NewPageAsync();
        await page.RouteAsync("**/admin/*s", route => route.FulfillAsync(new RouteFulfillOptions { Status = 401 }));
        await page.GotoAsync("/admin");
        await page.Locator("#api-key").FillAsync("wrong");
        await page.Locator("#key-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#admin-status")).ToContainTextAsync("the key was refused");
        Assert.Equal(0, await page.Locator("#stats svg").CountAsync());
        await page.Context.CloseAsync();
    }

    private static Task Answer(IRoute route, string json, ConcurrentBag<string?> keys)
    {
        route.Request.Headers.TryGetValue("x-api-key", out var key);
        keys.Add(key);
        return key == "secret-admin-key"
            ? route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = json })
            : route.FulfillAsync(new RouteFulfillOptions { Status = 401 });
    }
}
