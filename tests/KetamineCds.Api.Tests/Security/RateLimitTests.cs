using System.Net;
using KetamineCds.Api.Tests.Infrastructure;

namespace KetamineCds.Api.Tests.Security;

/// <summary>Per-client rate limit: the authenticated EHR (by issuer), else the caller's address; health probes exempt.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const int Permits = 3;

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
    public async Task A_burst_from_one_EHR_gets_429_while_another_EHR_is_still_served()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Permits + 2; i++)
        {
            using var response = await _client.FeedbackAsync(_ehrA.CreateToken(FeedbackAudience));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter is not null, "429 without Retry-After");
                Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            }
        }

        using var other = await _client.FeedbackAsync(_ehrB.CreateToken(FeedbackAudience));

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, Permits), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var logged = _factory.Logs.Entries.Where(e => e.EventId.Id == 5009).ToList();
        Assert.Contains("Test EHR 0", Assert.Single(logged).Message, StringComparison.Ordinal); // two 429s, one log line
    }

    [Fact]
    public async Task A_burst_of_unauthenticated_calls_gets_429_and_health_probes_are_not_limited()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Permits + 2; i++)
        {
            using var response = await _client.SendAsync(CdsCalls.Get("/cds-services", null), Ct);
            statuses.Add(response.StatusCode);
        }

        for (var i = 0; i < Permits + 2; i++)
        {
            using var health = await _client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, Permits), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
