using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace KetamineCds.BrowserTests;

/// <summary>The demo EHR page in a real headless chromium, against the real service on Kestrel.</summary>
public sealed class DemoEhrBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task Opening_the_trd_candidate_shows_the_card()
    {
        var page = await OpenPatientAsync("demo-trd-candidate");
        var card = page.Locator("#cards article[data-topic='trd-candidate']");
        await Assertions.Expect(card).ToBeVisibleAsync(Visible);
        await Assertions.Expect(card).ToHaveAttributeAsync("data-indicator", "info");
        await Assertions.Expect(card.Locator(".summary")).ToContainTextAsync("Treatment-resistant depression criteria met");
        await Assertions.Expect(card.Locator(".detail strong").First).ToBeVisibleAsync(Visible); // markdown rendered
        await Assertions.Expect(card.Locator(".links a").First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^https://"));
        await BrowserFixture.ScreenshotAsync(page, "demo-trd-candidate");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Accepting_the_referral_creates_the_ServiceRequest_and_sends_accepted_feedback()
    {
        var page = await OpenPatientAsync("demo-pregnant");
        var card = page.Locator("#cards article[data-topic='trd-candidate']");
        await card.Locator("button.suggestion").ClickAsync();
        await Assertions.Expect(card.Locator(".outcome")).ToContainTextAsync("feedback HTTP 200");
        await Assertions.Expect(page.Locator("#referrals li[data-service-request]")).ToContainTextAsync("ketamine/esketamine evaluation");
        await BrowserFixture.ScreenshotAsync(page, "demo-accepted");

        var requests = await fixture.Server.Http.GetFromJsonAsync<JsonArray>("/demo/api/patients/demo-pregnant/ServiceRequest", TestContext.Current.CancellationToken);
        var referral = Assert.Single(requests!)!;
        Assert.Equal("Patient/demo-pregnant", referral["subject"]!["reference"]!.GetValue<string>());
        var uuid = await card.GetAttributeAsync("data-card");
        var calls = await fixture.Server.Http.GetFromJsonAsync<JsonArray>("/demo/api/feedback-calls", TestContext.Current.CancellationToken);
        Assert.Contains(calls!, c => c!["cardUuid"]!.GetValue<string>() == uuid && c["outcome"]!.GetValue<string>() == "accepted" && c["httpStatus"]!.GetValue<int>() == 200);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Signing_esketamine_for_the_contraindicated_patient_shows_the_critical_card()
    {
        var page = await OpenPatientAsync("demo-trd-avm");
        await page.Locator("#order-kind").SelectOptionAsync("esketamine");
        await page.Locator("#order-sign").ClickAsync();
        var card = page.Locator("#cards[data-hook='order-sign'] article[data-indicator='critical']");
        await Assertions.Expect(card).ToBeVisibleAsync(Visible);
        await Assertions.Expect(card.Locator(".summary")).ToContainTextAsync("Contraindication to esketamine");
        await BrowserFixture.ScreenshotAsync(page, "demo-critical");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Dismissing_a_card_with_a_reason_sends_overridden_feedback()
    {
        var page = await OpenPatientAsync("demo-trd-avm");
        await page.Locator("#order-sign").ClickAsync();
        var card = page.Locator("#cards[data-hook='order-sign'] article[data-topic='contraindication']");
        await Assertions.Expect(card).ToBeVisibleAsync(Visible);
        var reason = card.Locator("select.override-reason option:not([value=''])").First;
        var code = await reason.GetAttributeAsync("value");
        await card.Locator("select.override-reason").SelectOptionAsync(code!);
        await card.Locator("input.override-comment").FillAsync("AVM repaired 2021, neurosurgery cleared");
        await card.Locator("button.dismiss-button").ClickAsync();
        await Assertions.Expect(card.Locator(".outcome")).ToContainTextAsync("Dismissed");
        await Assertions.Expect(card.Locator(".outcome")).ToContainTextAsync("feedback HTTP 200");

        var uuid = await card.GetAttributeAsync("data-card");
        var calls = await fixture.Server.Http.GetFromJsonAsync<JsonArray>("/demo/api/feedback-calls", TestContext.Current.CancellationToken);
        Assert.Contains(calls!, c => c!["cardUuid"]!.GetValue<string>() == uuid && c["outcome"]!.GetValue<string>() == "overridden"
            && c["overrideReason"]!.GetValue<string>() == code && c["httpStatus"]!.GetValue<int>() == 200);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Card_text_holding_script_runs_no_script()
    {
        var page = await OpenPatientAsync("demo-hostile-text");
        var card = page.Locator("#cards article[data-topic='trd-candidate']");
        await Assertions.Expect(card).ToBeVisibleAsync(Visible);
        // The text is shown as text, and neither the script nor the onerror handler ran.
        await Assertions.Expect(card.Locator(".detail")).ToContainTextAsync("<script>");
        Assert.Equal(0, await card.Locator(".detail script, .detail img").CountAsync());
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__cardScript"));
        await BrowserFixture.ScreenshotAsync(page, "demo-hostile-text");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_smart_link_opens_the_assessment_app_with_its_timeline()
    {
        // Needs the SMART app (/smart/launch, /smart/app) of the smart branch: on this branch alone the launch URL is 404.
        var page = await OpenPatientAsync("demo-trd-candidate");
        var link = page.Locator("#cards article[data-topic='trd-candidate'] a[data-link-type='smart']");
        await Assertions.Expect(link).ToBeVisibleAsync(Visible);
        await link.ClickAsync();
        // Polls the URL: Playwright's WaitForURL waits for a load event when the URL already matches, and after the launch's
        // redirects it can miss one (30 s timeout with the network idle, 1 run in 6); the next assertion waits for the content.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/smart/app"));
        await Assertions.Expect(page.Locator("svg.timeline, svg#timeline, svg[data-chart='timeline'], svg[data-timeline], svg[aria-label*='imeline'], .timeline svg, #timeline svg").First).ToBeVisibleAsync(Visible);
        await BrowserFixture.ScreenshotAsync(page, "smart-app");
        await page.Context.CloseAsync();
    }

    private async Task<IPage> OpenPatientAsync(string patientId)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/demo");
        await page.Locator($"#patient-list button[data-patient='{patientId}']").ClickAsync();
        await Assertions.Expect(page.Locator("#cards[data-state='done'][data-hook='patient-view']")).ToBeAttachedAsync();
        return page;
    }
}
