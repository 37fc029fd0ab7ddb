using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Endpoints;
using KetamineCds.Storage;

namespace KetamineCds.Api.Tests.Storage;

/// <summary>
/// Real service processes: feedback acknowledged with 200 survives a SIGKILL right after; two instances sharing
/// PostgreSQL report the sum of their calls.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const string ScreeningPath = "/cds-services/ketamine-trd-screening";

    [Theory]
    [InlineData(StorageProvider.Sqlite, 21101)]
    [InlineData(StorageProvider.PostgreSql, 21102)]
    public async Task Feedback_acknowledged_before_a_SIGKILL_is_not_lost(StorageProvider provider, int port)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(provider);
        string card;
        await using (var service = await ServiceProcess.StartAsync(port, db, ct))
        {
            card = await CallAsync(service, ct);

            // The audit trail is written off the request path: wait until the call is in storage.
            await ServiceProcess.EventuallyAsync(async () => Calls(await StatsAsync(service, ct)) == 1, ct);

            using var feedback = await service.Client.PostAsync(
                ScreeningPath + "/feedback",
                new StringContent(FeedbackStorageTests.Overridden(card), Encoding.UTF8, "application/json"),
                ct);
            Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
            await service.KillAsync();
        }

        await using var restarted = await ServiceProcess.StartAsync(port, db, ct);
        using var stats = await StatsAsync(restarted, ct);
        var cards = stats.RootElement.GetProperty("services")[0].GetProperty("cards").EnumerateArray();
        var candidate = Assert.Single(cards, c => c.GetProperty("topic").GetString() == "trd-candidate");
        Assert.Equal(1, candidate.GetProperty("overridden").GetInt64());
        Assert.Equal("patient-declined", Assert.Single(candidate.GetProperty("overrideReasons").EnumerateArray()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Two_instances_sharing_PostgreSQL_add_up()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(StorageProvider.PostgreSql);
        await using var first = await ServiceProcess.StartAsync(21111, db, ct);
        await using var second = await ServiceProcess.StartAsync(21112, db, ct);

        await CallAsync(first, ct);
        await CallAsync(first, ct);
        await CallAsync(second, ct);

        await ServiceProcess.EventuallyAsync(async () => Calls(await StatsAsync(second, ct)) == 3, ct);
        using var fromFirst = await StatsAsync(first, ct);
        Assert.Equal(3, Calls(fromFirst));
    }

    /// <summary>A patient-view call; returns the uuid of its trd-candidate card.</summary>
    private static async Task<string> CallAsync(ServiceProcess service, CancellationToken ct)
    {
        var request = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!;
        request["hookInstance"] = Guid.NewGuid().ToString();
        using var response = await service.Client.PostAsync(ScreeningPath, new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return answer.RootElement.GetProperty("cards").EnumerateArray()
            .First(c => c.GetProperty("source").GetProperty("topic").GetProperty("code").GetString() == "trd-candidate")
            .GetProperty("uuid").GetString()!;
    }

    private static async Task<JsonDocument> StatsAsync(ServiceProcess service, CancellationToken ct)
    {
        using var response = await service.Client.GetAsync("/admin/stats", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
    }

    private static long Calls(JsonDocument stats)
    {
        using (stats)
        {
            var services = stats.RootElement.GetProperty("services");
            return services.GetArrayLength() == 0 ? 0 : services[0].GetProperty("calls").GetInt64();
        }
    }
}
