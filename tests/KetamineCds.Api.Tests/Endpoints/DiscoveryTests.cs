using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KetamineCds.Api.Tests.Endpoints;

public sealed partial class DiscoveryTests(CdsHostFixture fixture) : IClassFixture<CdsHostFixture>
{
    private readonly CdsHost _host = fixture.Host;

    [GeneratedRegex(@"\{\{([^}]*)\}\}")]
    private static partial Regex Token();

    private static readonly HashSet<string> AllowedTokens =
    [
        "context.patientId", "context.userId", "context.encounterId",
        "userPractitionerId", "userPractitionerRoleId", "userPatientId", "userRelatedPersonId",
    ];

    [Fact]
    public async Task Live_discovery_equals_the_golden_document()
    {
        var live = await GetDiscoveryAsync();
        var golden = JsonNode.Parse(RepoFiles.Read("cds-hooks", "discovery.json"));

        Assert.True(JsonNode.DeepEquals(golden, live), "cds-hooks/discovery.json differs from GET /cds-services:\n" + live.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    [Fact]
    public async Task Discovery_lists_the_three_services_with_required_members()
    {
        var services = (await GetDiscoveryAsync())["services"]!.AsArray();

        Assert.Equal(
            ["ketamine-trd-screening:patient-view", "ketamine-order-select:order-select", "ketamine-order-sign:order-sign"],
            services.Select(s => $"{s!["id"]}:{s["hook"]}").ToArray());
        foreach (var service in services)
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)service!["description"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)service["title"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)service["usageRequirements"]));
            Assert.NotEmpty(service["prefetch"]!.AsObject());
        }
    }

    [Fact]
    public async Task Prefetch_templates_use_only_CDS_Hooks_2_0_tokens()
    {
        var services = (await GetDiscoveryAsync())["services"]!.AsArray();

        foreach (var template in services.SelectMany(s => s!["prefetch"]!.AsObject()).Select(p => (string)p.Value!))
        {
            Assert.DoesNotContain("sort:desc", template, StringComparison.Ordinal);
            foreach (Match token in Token().Matches(template))
            {
                Assert.Contains(token.Groups[1].Value, AllowedTokens);
            }
        }
    }

    [Fact]
    public async Task Discovery_is_anonymous_by_default()
    {
        using var response = await _host.Client.GetAsync("/cds-services", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Discovery_accepts_a_token_with_the_discovery_audience()
    {
        using var response = await _host.GetAsync("/cds-services", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonNode> GetDiscoveryAsync()
    {
        using var response = await _host.Client.GetAsync("/cds-services", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
    }
}
