using System.Diagnostics.Metrics;
using KetamineCds.Api.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>Administrators watch statistics through the KetamineCds meter.</summary>
public sealed class MetricsTests(CdsHostFixture fixture) : IClassFixture<CdsHostFixture>
{
    private readonly CdsHost _host = fixture.Host;

    [Fact]
    public async Task Hook_calls_and_feedback_are_counted_by_service_and_status()
    {
        var meters = _host.Factory.Services.GetRequiredService<IMeterFactory>();
        using var calls = new MetricCollector<long>(meters, CdsMetrics.MeterName, "ketamine_cds.hook.calls");
        using var durations = new MetricCollector<double>(meters, CdsMetrics.MeterName, "ketamine_cds.hook.duration");
        using var feedback = new MetricCollector<long>(meters, CdsMetrics.MeterName, "ketamine_cds.feedback");

        using (await _host.PostAsync(Requests.ScreeningPath, Requests.PatientView().ToJsonString(), cancellationToken: TestContext.Current.CancellationToken))
        using (await _host.PostAsync(Requests.ScreeningPath, "{", cancellationToken: TestContext.Current.CancellationToken))
        using (await _host.PostAsync("/cds-services/ketamine-trd-screening/feedback", RepoFiles.Example("09-feedback-accepted.json").Replace("\"card\": \"", "\"card\": \"metrics-", StringComparison.Ordinal), cancellationToken: TestContext.Current.CancellationToken))
        {
        }

        var measured = calls.GetMeasurementSnapshot();
        Assert.Contains(measured, m => Equals(m.Tags["service"], "ketamine-trd-screening") && Equals(m.Tags["status"], 200));
        Assert.Contains(measured, m => Equals(m.Tags["service"], "ketamine-trd-screening") && Equals(m.Tags["status"], 400));
        Assert.NotEmpty(durations.GetMeasurementSnapshot());
        Assert.Contains(feedback.GetMeasurementSnapshot(), m => Equals(m.Tags["outcome"], "accepted") && m.Value == 1);
    }
}
