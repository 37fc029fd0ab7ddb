using System.Net;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Api.Tests.Security;

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

    private CdsApiFactory NewInstance() => new(_ehr.ClientConfiguration(0)
        .Concat(_other.ClientConfiguration(1))
        .Append(new("CdsHooks:ClientRateLimitPermits", Permits.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        .Append(new("CdsHooks:ClientRateLimitWindow", "00:10:00"))
        .Concat(TestRedis.Settings(_prefix)));
}
