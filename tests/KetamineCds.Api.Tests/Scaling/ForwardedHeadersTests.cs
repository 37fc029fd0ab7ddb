using System.Net;
using KetamineCds.Api.Tests.Infrastructure;

namespace KetamineCds.Api.Tests.Scaling;

/// <summary>
/// Behind a trusted reverse proxy the per-IP limit uses the client address of X-Forwarded-For; without configured
/// proxies (or from a peer that is not one) the header is ignored, so a caller cannot dodge the limit by inventing
/// addresses. Real Kestrel on loopback: the TCP peer is 127.0.0.1.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const int Permits = 2;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Behind_a_known_proxy_each_forwarded_client_address_has_its_own_limit()
    {
        await using var factory = await StartReadyAsync(KeyValuePair.Create<string, string?>("CdsHooks:ForwardedHeaders:KnownProxies:0", "127.0.0.1"));
        using var client = factory.CreateClient();

        var first = await DiscoveryStatusesAsync(client, "203.0.113.10", Permits + 1);
        var second = await DiscoveryStatusesAsync(client, "203.0.113.20", Permits);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, Permits), HttpStatusCode.TooManyRequests], first);
        Assert.All(second, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Contains(factory.Logs.Entries, e => e.EventId.Id == 7005);
    }

    [Fact]
    public async Task A_known_proxy_network_is_trusted_too()
    {
        await using var factory = await StartReadyAsync(KeyValuePair.Create<string, string?>("CdsHooks:ForwardedHeaders:KnownNetworks:0", "127.0.0.0/8"));
        using var client = factory.CreateClient();

        var first = await DiscoveryStatusesAsync(client, "203.0.113.11", Permits + 1);
        var second = await DiscoveryStatusesAsync(client, "203.0.113.21", 1);

        Assert.Equal(HttpStatusCode.TooManyRequests, first[^1]);
        Assert.Equal(HttpStatusCode.OK, Assert.Single(second));
    }

    [Fact]
    public async Task Without_configured_proxies_X_Forwarded_For_is_ignored()
    {
        await using var factory = await StartReadyAsync();
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Permits + 1; i++)
        {
            statuses.AddRange(await DiscoveryStatusesAsync(client, $"203.0.113.{30 + i}", 1));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, Permits), HttpStatusCode.TooManyRequests], statuses);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.EventId.Id == 7005);
    }

    [Fact]
    public async Task A_peer_that_is_not_a_known_proxy_cannot_choose_its_address()
    {
        await using var factory = await StartReadyAsync(KeyValuePair.Create<string, string?>("CdsHooks:ForwardedHeaders:KnownProxies:0", "10.1.2.3"));
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Permits + 1; i++)
        {
            statuses.AddRange(await DiscoveryStatusesAsync(client, $"203.0.113.{40 + i}", 1));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task The_warm_up_s_own_discovery_calls_over_loopback_leave_the_loopback_address_its_permits()
    {
        await using var factory = await StartReadyAsync();
        using var client = factory.CreateClient();

        var statuses = await DiscoveryStatusesAsync(client, forwardedFor: null, Permits + 1);

        // 40 liveness probes and 3 discovery calls from 127.0.0.1, more than the 2 permits the address has.
        Assert.Contains(", 43 loopback requests, 0 failures", Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 1601).Message, StringComparison.Ordinal);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, Permits), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_caller_that_copies_the_warm_up_header_is_still_limited()
    {
        await using var factory = await StartReadyAsync();
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Permits + 1; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
            request.Headers.Add("X-KetamineCds-Warmup", new string('0', 64));
            using var response = await client.SendAsync(request, Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, Permits), HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>
    /// Real Kestrel, and only once ready: the warm-up then sent its own requests over loopback (which must not count),
    /// so each test's calls meet an untouched window whatever the machine's speed.
    /// </summary>
    private static async Task<CdsApiFactory> StartReadyAsync(params KeyValuePair<string, string?>[] settings)
    {
        var factory = new CdsApiFactory(settings
            .Append(new("CdsHooks:RateLimitPermits", Permits.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new("CdsHooks:RateLimitWindow", "00:10:00")));
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        using var ready = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        return factory;
    }

    private static async Task<List<HttpStatusCode>> DiscoveryStatusesAsync(HttpClient client, string? forwardedFor, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
            if (forwardedFor is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor);
            }

            using var response = await client.SendAsync(request, Ct);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
