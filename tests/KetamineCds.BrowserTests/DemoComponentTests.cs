using System.Text.Json.Nodes;
using KetamineCds.Api.Demo;
using Microsoft.Extensions.Time.Testing;

namespace KetamineCds.BrowserTests;

/// <summary>The demo's pieces on their own: safe card rendering, date shifting of the store, token lifetimes.</summary>
public sealed class DemoComponentTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("x <script>alert(1)</script> y", "&lt;script&gt;")]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img")]
    [InlineData("[click](javascript:alert(1))", ">click</a>")]
    [InlineData("**bold** and [source](https://example.org/a)", "<strong>bold</strong>")]
    public void Card_markdown_renders_without_any_active_content(string markdown, string expected)
    {
        var html = new DemoCardRenderer().RenderMarkdown(markdown);
        Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", html.Replace("&lt;img src=x onerror=", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Synthetic_patients_dates_move_with_today_and_synthea_dates_do_not()
    {
        var atAnchor = new DemoPatientStore(new FakeTimeProvider(Anchor));
        var tenDaysLater = new DemoPatientStore(new FakeTimeProvider(Anchor.AddDays(10)));

        string BpDate(DemoPatientStore store) => store.Search("demo-high-bp", "Observation").Single(o => o["id"]!.GetValue<string>() == "bp-1")["effectiveDateTime"]!.GetValue<string>();
        Assert.Equal("2026-11-24T09:30:00Z", BpDate(atAnchor));
        Assert.Equal("2026-12-04T09:30:00Z", BpDate(tenDaysLater));

        const string synthea = "8adf7251-257f-4b45-8ef5-0a6b3b9fe0ef";
        Assert.Equal(atAnchor.Search(synthea, "Patient")[0]["birthDate"]!.ToJsonString(), tenDaysLater.Search(synthea, "Patient")[0]["birthDate"]!.ToJsonString());
    }

    [Fact]
    public void Accepted_resources_are_added_to_the_patient_only()
    {
        var store = new DemoPatientStore(new FakeTimeProvider(Anchor));
        var reference = store.Create("demo-trd-candidate", new JsonObject { ["resourceType"] = "ServiceRequest", ["status"] = "draft" });
        Assert.StartsWith("ServiceRequest/demo-", reference, StringComparison.Ordinal);
        Assert.Single(store.Search("demo-trd-candidate", "ServiceRequest"));
        Assert.Empty(store.Search("demo-trd-avm", "ServiceRequest"));
        Assert.True(store.Delete("demo-trd-candidate", reference));
        Assert.Empty(store.Search("demo-trd-candidate", "ServiceRequest"));
    }

    [Fact]
    public void Launches_codes_and_tokens_expire()
    {
        var time = new FakeTimeProvider(Anchor);
        var server = new DemoAuthorizationServer(time);
        var launch = server.CreateLaunch("demo-trd-avm");
        var (_, token) = server.Issue("demo-trd-avm", "patient/*.rs");
        var code = server.CreateCode("demo-trd-avm", "app", "http://127.0.0.1/smart/callback", DemoAuthorizationServer.S256("verifier"), "patient/*.rs");
        Assert.Equal("demo-trd-avm", server.LaunchPatient(launch));
        Assert.NotNull(server.Validate(token));

        time.Advance(DemoAuthorizationServer.CodeLifetime);
        Assert.Null(server.Redeem(code, "http://127.0.0.1/smart/callback", "verifier"));
        time.Advance(DemoAuthorizationServer.LaunchLifetime);
        Assert.Null(server.LaunchPatient(launch));
        time.Advance(DemoAuthorizationServer.TokenLifetime);
        Assert.Null(server.Validate(token));
    }
}
