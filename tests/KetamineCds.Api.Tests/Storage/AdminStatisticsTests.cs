using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Endpoints;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Storage;

namespace KetamineCds.Api.Tests.Storage;

/// <summary><c>GET /admin/stats</c> and <c>/admin/clients</c>: numbers from storage for a known set of calls and feedback.</summary>
public sealed class AdminStatisticsTests
{
    private const string ScreeningPath = "/cds-services/ketamine-trd-screening";
    private const string Key = "admin-key-2";

    private static KeyValuePair<string, string?>[] AdminKeys => [new("Admin:ApiKeys:0", "admin-key-1"), new("Admin:ApiKeys:1", Key)];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Stats_count_calls_cards_feedback_and_rejections_across_a_restart(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(provider);
        var shown = new Dictionary<(string Topic, string Indicator), int>();
        var candidates = new List<string>();
        var others = new List<string>();
        await using (var host = CdsHost.Start([.. db.Settings(), .. AdminKeys]))
        {
            for (var i = 0; i < 3; i++)
            {
                var request = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!;
                request["hookInstance"] = Guid.NewGuid().ToString();
                using var response = await host.PostAsync(ScreeningPath, request.ToJsonString(), cancellationToken: ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                foreach (var card in answer.RootElement.GetProperty("cards").EnumerateArray())
                {
                    var key = (card.GetProperty("source").GetProperty("topic").GetProperty("code").GetString()!, card.GetProperty("indicator").GetString()!);
                    shown[key] = shown.GetValueOrDefault(key) + 1;
                    (key.Item1 == "trd-candidate" ? candidates : others).Add(card.GetProperty("uuid").GetString()!);
                }
            }

            using (var bad = await host.PostAsync(ScreeningPath, "{\"hook\":", cancellationToken: ct))
            {
                Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            }

            await using var impostor = TestEhr.Start(issuer: host.Ehr.Issuer);
            using var forged = new HttpRequestMessage(HttpMethod.Post, ScreeningPath) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            forged.Headers.Authorization = new("Bearer", impostor.CreateToken(CdsApiFactory.ServiceAudience("ketamine-trd-screening")));
            using (var unauthorized = await host.Client.SendAsync(forged, ct))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
            }

            Assert.Equal(3, candidates.Count);
            await PostFeedback(host, FeedbackStorageTests.Overridden(candidates[0]), ct);
            await PostFeedback(host, FeedbackStorageTests.Overridden(candidates[1]), ct);
            await PostFeedback(host, FeedbackStorageTests.Overridden(candidates[1]), ct); // a repeat counts once
            await PostFeedback(host, $$"""{"feedback":[{"card":"{{candidates[2]}}","outcome":"accepted","outcomeTimestamp":"2026-11-27T10:00:00Z","acceptedSuggestions":[{"id":"s"}]}]}""", ct);
        }

        // A new process on the same storage answers with the same numbers.
        await using var restarted = CdsHost.Start([.. db.Settings(), .. AdminKeys]);
        using var stats = await GetJson(restarted, "/admin/stats", ct);
        var root = stats.RootElement;
        var service = Assert.Single(root.GetProperty("services").EnumerateArray());
        Assert.Equal("ketamine-trd-screening", service.GetProperty("id").GetString());
        Assert.Equal(4, service.GetProperty("calls").GetInt64()); // 3 answered + 1 bad request; the 401 is a rejection
        var latency = service.GetProperty("latencyMs");
        Assert.True(latency.GetProperty("p50").GetDouble() > 0);
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p95").GetDouble());
        Assert.True(latency.GetProperty("p95").GetDouble() <= latency.GetProperty("p99").GetDouble());

        var cards = service.GetProperty("cards").EnumerateArray().ToList();
        Assert.Equal(shown.Count, cards.Count);
        foreach (var card in cards)
        {
            var key = (card.GetProperty("topic").GetString()!, card.GetProperty("indicator").GetString()!);
            Assert.Equal(shown[key], card.GetProperty("shown").GetInt64());
            var isCandidate = key.Item1 == "trd-candidate";
            Assert.Equal(isCandidate ? 1 : 0, card.GetProperty("accepted").GetInt64());
            Assert.Equal(isCandidate ? 2 : 0, card.GetProperty("overridden").GetInt64());
            if (isCandidate)
            {
                var reason = Assert.Single(card.GetProperty("overrideReasons").EnumerateArray());
                Assert.Equal("patient-declined", reason.GetProperty("code").GetString());
                Assert.Equal("Patient declined", reason.GetProperty("display").GetString());
                Assert.Equal(2, reason.GetProperty("count").GetInt64());
            }
        }

        var client = Assert.Single(root.GetProperty("clients").EnumerateArray());
        Assert.Equal("Test EHR 0", client.GetProperty("name").GetString());
        Assert.Equal(4, client.GetProperty("calls").GetInt64());
        Assert.True(client.GetProperty("lastCall").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.Equal(1, client.GetProperty("rejected").GetProperty("401").GetInt64());
        Assert.Equal(0, client.GetProperty("rejected").GetProperty("429").GetInt64());

        // A period without calls is empty.
        using var empty = await GetJson(restarted, "/admin/stats?from=2020-01-01T00:00:00Z&to=2020-02-01", ct);
        Assert.Empty(empty.RootElement.GetProperty("services").EnumerateArray());
        Assert.Equal(DateTimeOffset.Parse("2020-02-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), empty.RootElement.GetProperty("to").GetDateTimeOffset());
    }

    [Fact]
    public async Task Stats_default_to_the_last_30_days()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        await using var host = CdsHost.Start([.. db.Settings(), .. AdminKeys]);
        using var stats = await GetJson(host, "/admin/stats", ct);
        var from = stats.RootElement.GetProperty("from").GetDateTimeOffset();
        var to = stats.RootElement.GetProperty("to").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(30), to - from);
    }

    [Theory]
    [InlineData("/admin/stats?from=yesterday")]
    [InlineData("/admin/stats?to=2026-13-01")]
    [InlineData("/admin/stats?from=2026-02-01&to=2026-01-01")]
    [InlineData("/admin/stats?from=")]
    public async Task Bad_dates_get_400_with_an_OperationOutcome(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        await using var host = CdsHost.Start([.. db.Settings(), .. AdminKeys]);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", Key);
        using var response = await host.Client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("OperationOutcome", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/stats")]
    [InlineData("/admin/clients")]
    public async Task Admin_endpoints_need_a_configured_key(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        await using (var off = CdsHost.Start(db.Settings()))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Api-Key", Key);
            using var response = await off.Client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        await using var on = CdsHost.Start([.. db.Settings(), .. AdminKeys]);
        foreach (var (key, expected) in new[] { ((string?)null, HttpStatusCode.Unauthorized), ("admin-key-", HttpStatusCode.Unauthorized), ("admin-key-1", HttpStatusCode.OK), (Key, HttpStatusCode.OK) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (key is not null)
            {
                request.Headers.Add("X-Api-Key", key);
            }

            using var response = await on.Client.SendAsync(request, ct);
            Assert.Equal(expected, response.StatusCode);
        }
    }

    [Fact]
    public async Task Clients_lists_registered_EHRs_with_JWKS_status_and_counts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        await using var host = CdsHost.Start([.. db.Settings(), .. AdminKeys, new("CdsHooks:Clients:0:Tenant", "t1")], "https://fhir.example.test/r4");
        using (var before = await GetJson(host, "/admin/clients", ct))
        {
            var client = Assert.Single(before.RootElement.GetProperty("clients").EnumerateArray());
            Assert.False(client.GetProperty("jwksFetched").GetBoolean());
            Assert.Equal(JsonValueKind.Null, client.GetProperty("jwksLastFetched").ValueKind);
        }

        var request = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!;
        using (var response = await AuditTrailTests.Send(host, ScreeningPath, request.ToJsonString(), "t1", ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var after = await GetJson(host, "/admin/clients", ct);
        var listed = Assert.Single(after.RootElement.GetProperty("clients").EnumerateArray());
        Assert.Equal("Test EHR 0", listed.GetProperty("name").GetString());
        Assert.Equal(host.Ehr.Issuer, listed.GetProperty("issuer").GetString());
        Assert.Equal("t1", listed.GetProperty("tenant").GetString());
        Assert.Equal("url", listed.GetProperty("jwksSource").GetString());
        Assert.Equal(host.Ehr.JwksUrl, listed.GetProperty("jwksUrl").GetString());
        Assert.True(listed.GetProperty("jwksFetched").GetBoolean());
        Assert.Equal(JsonValueKind.String, listed.GetProperty("jwksLastFetched").ValueKind);
        Assert.Equal(["https://fhir.example.test/r4"], listed.GetProperty("allowedFhirServers").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(0, listed.GetProperty("rejected").GetProperty("401").GetInt64());
    }

    private static async Task PostFeedback(CdsHost host, string body, CancellationToken ct)
    {
        using var response = await host.PostAsync(ScreeningPath + "/feedback", body, cancellationToken: ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonDocument> GetJson(CdsHost host, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", Key);
        using var response = await host.Client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
    }
}
