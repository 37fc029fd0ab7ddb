using System.Net;
using KetamineCds.Api.Security;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Api.Tests.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KetamineCds.Api.Tests.Scaling;

/// <summary>With Redis, an EHR's limit is one budget across instances; unauthenticated callers stay limited per instance.</summary>
public sealed class SharedRateLimitTests : IAsyncLifetime
{
    private const int Permits = 4;

    private readonly TestEhr _ehr = TestEhr.Start("https://ehr-limited.example.test");
    private readonly TestEhr _other = TestEhr.Start("https://ehr-other.example.test");
    private readonly string _prefix = TestRedis.NewPrefix();

    private static string FeedbackAudience => CdsApiFactory.ServiceAudience(CdsCalls.ServiceId) + "/feedback";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _ehr.DisposeAsync();
        await _other.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_share_one_EHR_budget()
    {
        await using var first = NewInstance();
        await using var second = NewInstance();
        using var a = first.CreateClient();
        using var b = second.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Permits + 2; i++)
        {
            // Alternate between the instances, as a round-robin load balancer does.
            using var response = await (i % 2 == 0 ? a : b).FeedbackAsync(_ehr.CreateToken(FeedbackAudience));
            statuses.Add(response.StatusCode);
        }

        using var otherEhr = await b.FeedbackAsync(_other.CreateToken(FeedbackAudience));
        using var throttled = await a.FeedbackAsync(_ehr.CreateToken(FeedbackAudience));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("OperationOutcome", System.Text.Json.JsonDocument.Parse(await throttled.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("resourceType").GetString());
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, Permits), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, otherEhr.StatusCode);
    }

    [Fact]
    public async Task A_restarted_instance_keeps_counting_in_the_same_window()
    {
        await using (var before = NewInstance())
        {
            using var client = before.CreateClient();
            for (var i = 0; i < Permits; i++)
            {
                using var response = await client.FeedbackAsync(_ehr.CreateToken(FeedbackAudience));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        await using var after = NewInstance();
        using var restarted = after.CreateClient();
        using var over = await restarted.FeedbackAsync(_ehr.CreateToken(FeedbackAudience));

        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
    }

    [Fact]
    public async Task When_Redis_fails_after_the_replay_check_the_EHR_limit_lets_the_call_through_and_says_so()
    {
        // Only reachable when the replay check did not need Redis: an in-memory replay cache with an unreachable Redis.
        await using var factory = new CdsApiFactory(
            _ehr.ClientConfiguration().Concat(TestRedis.Settings(_prefix, TestRedis.Unreachable)),
            services => services.Replace(ServiceDescriptor.Singleton<IJtiReplayCache>(sp => sp.GetRequiredService<MemoryJtiReplayCache>())));
        using var client = factory.CreateClient();

        using var first = await client.FeedbackAsync(_ehr.CreateToken(FeedbackAudience));
        using var second = await client.FeedbackAsync(_ehr.CreateToken(FeedbackAudience));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 7004);
    }

    private CdsApiFactory NewInstance() => new(_ehr.ClientConfiguration(0)
        .Concat(_other.ClientConfiguration(1))
        .Append(new("CdsHooks:ClientRateLimitPermits", Permits.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        .Append(new("CdsHooks:ClientRateLimitWindow", "00:10:00"))
        .Concat(TestRedis.Settings(_prefix)));
}
