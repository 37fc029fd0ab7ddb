using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace KetamineCds.Api.Tests.Security;

/// <summary>
/// Per-client rate limits: each authenticated EHR (by issuer) its own limit, configurable per client; unauthenticated
/// callers per address; health probes exempt. A 429 is a short OperationOutcome and is counted in the metrics.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const int Permits = 3;
    private const int EhrBPermits = 5;

    private readonly TestEhr _ehrA = TestEhr.Start("https://ehr-a.example.test");
    private readonly TestEhr _ehrB = TestEhr.Start("https://ehr-b.example.test", "RS384");
    private CdsApiFactory _factory = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string FeedbackAudience => CdsApiFactory.ServiceAudience(CdsCalls.ServiceId) + "/feedback";

    public ValueTask InitializeAsync()
    {
        var settings = _ehrA.ClientConfiguration(0)
            .Concat(_ehrB.ClientConfiguration(1))
            .Append(new("CdsHooks:Clients:1:RateLimitPermits", EhrBPermits.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new("CdsHooks:ClientRateLimitPermits", Permits.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new("CdsHooks:ClientRateLimitWindow", "00:10:00"))
            .Append(new("CdsHooks:RateLimitPermits", Permits.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new("CdsHooks:RateLimitWindow", "00:10:00"));
        _factory = new CdsApiFactory(settings);
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _ehrA.DisposeAsync();
        await _ehrB.DisposeAsync();
    }

    [Fact]
    public async Task A_burst_from_one_EHR_gets_429_while_another_EHR_is_still_served_up_to_its_own_limit()
    {
        using var rejections = new MetricCollector<long>(_factory.Services.GetRequiredService<IMeterFactory>(), CdsMetrics.MeterName, "ketamine_cds.rejections");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Permits + 2; i++)
        {
            using var response = await _client.FeedbackAsync(_ehrA.CreateToken(FeedbackAudience));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter is not null, "429 without Retry-After");
                Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
                await AssertThrottledOutcomeAsync(response);
            }
        }

        var other = new List<HttpStatusCode>();
        for (var i = 0; i < EhrBPermits + 1; i++)
        {
            using var response = await _client.FeedbackAsync(_ehrB.CreateToken(FeedbackAudience));
            other.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, Permits), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, EhrBPermits), HttpStatusCode.TooManyRequests], other);
        var logged = _factory.Logs.Entries.Where(e => e.EventId.Id == 5009).ToList();
        Assert.Contains(logged, e => e.Message.Contains("Test EHR 0", StringComparison.Ordinal));
        var counted = rejections.GetMeasurementSnapshot();
        Assert.Equal(2, counted.Where(m => Equals(m.Tags["client"], "Test EHR 0") && Equals(m.Tags["reason"], "rate-limit")).Sum(m => m.Value));
        Assert.Equal(1, counted.Where(m => Equals(m.Tags["client"], "Test EHR 1") && Equals(m.Tags["reason"], "rate-limit")).Sum(m => m.Value));
    }

    [Fact]
    public async Task A_burst_of_unauthenticated_calls_gets_429_and_health_probes_are_not_limited()
    {
        using var rejections = new MetricCollector<long>(_factory.Services.GetRequiredService<IMeterFactory>(), CdsMetrics.MeterName, "ketamine_cds.rejections");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Permits + 2; i++)
        {
            using var response = await _client.SendAsync(CdsCalls.Get("/cds-services", null), Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await AssertThrottledOutcomeAsync(response);
            }
        }

        for (var i = 0; i < Permits + 2; i++)
        {
            using var health = await _client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, Permits), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(2, rejections.GetMeasurementSnapshot().Where(m => Equals(m.Tags["client"], "anonymous") && Equals(m.Tags["reason"], "rate-limit")).Sum(m => m.Value));
    }

    [Fact]
    public void The_default_per_EHR_limit_is_at_least_100_calls_per_second()
    {
        var defaults = new CdsHooksOptions();

        Assert.True(defaults.ClientRateLimitPermits / defaults.ClientRateLimitWindow.TotalSeconds >= 100, "a busy hospital reaches 100 calls/s");
    }

    [Fact]
    public async Task With_default_settings_an_EHR_is_not_held_to_the_anonymous_limit()
    {
        await using var ehr = TestEhr.Start("https://busy.example.test");
        await using var factory = new CdsApiFactory(ehr.ClientConfiguration().Append(new("CdsHooks:RateLimitPermits", "2")));
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 150; i++)
        {
            using var response = await client.FeedbackAsync(ehr.CreateToken(FeedbackAudience));
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task With_authentication_off_hook_and_feedback_calls_are_not_rate_limited_and_discovery_keeps_the_anonymous_limit()
    {
        // Authentication off, every call is unauthenticated: the EHR behind them is not held to the 10/s meant for public
        // pages, nor to a per-address share (the concurrent-call bound protects the instance). Windows of an hour: the
        // counts below cannot be reset by a window turning over.
        await using var factory = new CdsApiFactory(
        [
            new("CdsHooks:RequireAuthentication", "false"),
            new("CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment", "true"),
            new("CdsHooks:RateLimitPermits", "2"),
            new("CdsHooks:RateLimitWindow", "01:00:00"),
            new("CdsHooks:ClientRateLimitPermits", "3"),
            new("CdsHooks:ClientRateLimitWindow", "01:00:00"),
        ]);
        using var client = factory.CreateClient();

        var calls = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var hook = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), null, CdsCalls.PatientViewBody()), Ct);
            calls.Add(hook.StatusCode);
            using var feedback = await client.FeedbackAsync(null);
            calls.Add(feedback.StatusCode);
        }

        var discovery = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.SendAsync(CdsCalls.Get("/cds-services", null), Ct);
            discovery.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await AssertThrottledOutcomeAsync(response);
            }
        }

        // The hook calls carry no prefetch and no FHIR server (412): what counts here is that none is throttled.
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, calls);
        Assert.Equal(6, calls.Count(s => s == HttpStatusCode.OK));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], discovery);
    }

    private static async Task AssertThrottledOutcomeAsync(HttpResponseMessage response)
    {
        Assert.Equal(OperationOutcomes.ContentType, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(body.Length < 400, body);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("OperationOutcome", doc.RootElement.GetProperty("resourceType").GetString());
        Assert.Equal("throttled", doc.RootElement.GetProperty("issue")[0].GetProperty("code").GetString());
    }
}
