using System.Diagnostics.Metrics;
using System.Net;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Api.Tests.Security;
using KetamineCds.Fhir;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace KetamineCds.Api.Tests.Telemetry;

/// <summary>
/// Every answer on /cds-services is counted by status at middleware level, the framework's included: the 401 of
/// authentication, the 429 of the rate limiter and the 500 of the exception handler. Auth failures are counted by reason.
/// </summary>
public sealed class HttpStatusMetricsTests : IAsyncLifetime
{
    private readonly TestEhr _ehr = TestEhr.Start("https://ehr-otel.example.test");
    private CdsApiFactory _factory = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        var settings = _ehr.ClientConfiguration(0)
            .Append(new("CdsHooks:RateLimitPermits", "1"))
            .Append(new("CdsHooks:RateLimitWindow", "01:00:00"));
        _factory = new CdsApiFactory(settings, s => s.AddSingleton<IPatientDataProvider, TestPatientDataProviders.Throwing>());
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _ehr.DisposeAsync();
    }

    [Fact]
    public async Task A_401_a_429_and_a_500_are_each_counted_by_status_and_route()
    {
        var meters = _factory.Services.GetRequiredService<IMeterFactory>();
        using var responses = new MetricCollector<long>(meters, CdsMetrics.MeterName, HttpStatusMetrics.InstrumentName);
        using var authFailures = new MetricCollector<long>(meters, CdsMetrics.MeterName, "ketamine_cds.auth.failures");

        using var unauthenticated = await _client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), null, CdsCalls.PatientViewBody()), Ct);
        using var throttled = await _client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), "not-a-jwt", CdsCalls.PatientViewBody()), Ct);
        var token = _ehr.CreateToken(CdsApiFactory.ServiceAudience(CdsCalls.ServiceId));
        using var failed = await _client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), token, CdsCalls.PatientViewBody()), Ct);
        using var discovery = await _client.SendAsync(CdsCalls.Get("/cds-services", null), Ct);
        using var health = await _client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var counted = responses.GetMeasurementSnapshot()
            .Select(m => ($"{m.Tags["route"]}", Convert.ToInt32(m.Tags["status"], System.Globalization.CultureInfo.InvariantCulture), m.Value))
            .ToList();
        Assert.Contains(("service", 401, 1L), counted);
        Assert.Contains(("service", 429, 1L), counted);
        Assert.Contains(("service", 500, 1L), counted);
        Assert.Contains(counted, c => c.Item1 == "discovery");

        // Only /cds-services is counted: the health probe is not.
        Assert.Equal(4, counted.Count);

        var reasons = authFailures.GetMeasurementSnapshot().Select(m => $"{m.Tags["client"]}:{m.Tags["reason"]}").ToList();
        // The throttled call was refused by authentication first (the limiter partitions by authenticated client).
        Assert.Equal(["anonymous:MissingToken", "anonymous:Malformed"], reasons);
    }

    [Fact]
    public async Task The_warm_up_s_own_discovery_calls_over_loopback_are_not_counted()
    {
        // Listening from before the host starts: the warm-up's requests go out as soon as Kestrel listens.
        var counted = new System.Collections.Concurrent.ConcurrentQueue<(object? Scope, string Route)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meters) =>
            {
                if (instrument.Meter.Name == CdsMetrics.MeterName && instrument.Name == HttpStatusMetrics.InstrumentName)
                {
                    meters.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "route")
                {
                    counted.Enqueue((instrument.Meter.Scope, $"{tag.Value}"));
                }
            }
        });
        listener.Start();
        await using var factory = new CdsApiFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        string[] Ours() => [.. counted.Where(c => ReferenceEquals(c.Scope, meters)).Select(c => c.Route)];

        // 40 liveness probes and 3 discovery calls went out, and none of them is in the count.
        Assert.Contains(", 43 loopback requests, 0 failures", Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 1601).Message, StringComparison.Ordinal);
        Assert.Empty(Ours());
        using var discovery = await client.GetAsync(new Uri("/cds-services", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Equal(["discovery"], Ours());
    }
}
