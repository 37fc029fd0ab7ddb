using System.Net;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Api.Tests.Security;

namespace KetamineCds.Api.Tests.Scaling;

/// <summary>
/// Two service instances sharing a real Redis behave as one for replay protection: a token used on one is refused on
/// the other, and by an instance started after the first one stopped. Real ES384 tokens, a real JWKS.
/// </summary>
public sealed class SharedReplayTests : IAsyncLifetime
{
    private readonly TestEhr _ehr = TestEhr.Start("https://ehr-shared.example.test");
    private readonly string _prefix = TestRedis.NewPrefix();

    private static string FeedbackAudience => CdsApiFactory.ServiceAudience(CdsCalls.ServiceId) + "/feedback";

    private static string ServiceAudience => CdsApiFactory.ServiceAudience(CdsCalls.ServiceId);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _ehr.DisposeAsync();

    [Fact]
    public async Task A_token_used_on_one_instance_is_refused_on_the_other()
    {
        await using var first = NewInstance();
        await using var second = NewInstance();
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        var token = _ehr.CreateToken(FeedbackAudience);

        using var used = await a.FeedbackAsync(token);
        using var replayed = await b.FeedbackAsync(token);
        using var fresh = await b.FeedbackAsync(_ehr.CreateToken(FeedbackAudience));

        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Contains(second.Logs.Entries, e => e.EventId.Id == 5001 && e.Message.EndsWith(": ReplayedJti", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hook_call_token_replayed_on_the_other_instance_is_refused()
    {
        await using var first = NewInstance();
        await using var second = NewInstance();
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        var token = _ehr.CreateToken(ServiceAudience);

        using var used = await a.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), token, CdsCalls.PatientViewBody()), TestContext.Current.CancellationToken);
        using var replayed = await b.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), token, CdsCalls.PatientViewBody()), TestContext.Current.CancellationToken);

        Assert.NotEqual(HttpStatusCode.Unauthorized, used.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
    }

    [Fact]
    public async Task A_restarted_instance_still_refuses_a_token_used_before_the_restart()
    {
        var token = _ehr.CreateToken(FeedbackAudience);
        await using (var before = NewInstance())
        {
            using var client = before.CreateClient();
            using var used = await client.FeedbackAsync(token);
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        await using var after = NewInstance();
        using var restarted = after.CreateClient();
        using var replayed = await restarted.FeedbackAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
    }

    [Fact]
    public async Task Without_Redis_a_restarted_instance_forgets_which_tokens_were_used()
    {
        // The contrast that shows what Redis adds (and that the test above can fail): in memory, a restart forgets.
        var token = _ehr.CreateToken(FeedbackAudience);
        await using (var before = new CdsApiFactory(_ehr.ClientConfiguration()))
        {
            using var client = before.CreateClient();
            using var used = await client.FeedbackAsync(token);
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        await using var after = new CdsApiFactory(_ehr.ClientConfiguration());
        using var restarted = after.CreateClient();
        using var replayed = await restarted.FeedbackAsync(token);

        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
    }

    private CdsApiFactory NewInstance() => new(_ehr.ClientConfiguration().Concat(TestRedis.Settings(_prefix)));
}
