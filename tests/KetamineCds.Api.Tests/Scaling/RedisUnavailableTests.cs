using System.Net;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Api.Tests.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace KetamineCds.Api.Tests.Scaling;

/// <summary>
/// Redis configured but unreachable: the service starts, every EHR call is refused with 401 (the replay check fails
/// closed), one error line says why (not one per request), and readiness reports the instance unhealthy.
/// </summary>
public sealed class RedisUnavailableTests : IAsyncLifetime
{
    private readonly TestEhr _ehr = TestEhr.Start("https://ehr-down.example.test");
    private CdsApiFactory _factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = new CdsApiFactory(_ehr.ClientConfiguration().Concat(TestRedis.Settings(TestRedis.NewPrefix(), TestRedis.Unreachable)));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _ehr.DisposeAsync();
    }

    [Fact]
    public async Task Valid_tokens_are_refused_with_one_clear_log_line_and_a_counted_rejection()
    {
        using var client = _factory.CreateClient();
        using var rejections = new MetricCollector<long>(_factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), CdsMetrics.MeterName, "ketamine_cds.rejections");
        var audience = CdsApiFactory.ServiceAudience(CdsCalls.ServiceId) + "/feedback";

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.FeedbackAsync(_ehr.CreateToken(audience));
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        var line = Assert.Single(_factory.Logs.Entries, e => e.EventId.Id == 7003);
        Assert.Contains("fail closed", line.Message, StringComparison.Ordinal);
        Assert.Contains(_factory.Logs.Entries, e => e.Message.EndsWith(": ReplayCheckUnavailable", StringComparison.Ordinal));
        Assert.Equal(3, rejections.GetMeasurementSnapshot().Where(m => Equals(m.Tags["reason"], "replay-check-unavailable")).Sum(m => m.Value));
    }

    [Fact]
    public async Task Readiness_is_unhealthy_and_liveness_stays_up()
    {
        using var client = _factory.CreateClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
