using System.Net;
using KetamineCds.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KetamineCds.Api.Tests.Endpoints;

public sealed class FeedbackTests(CdsHostFixture fixture) : IClassFixture<CdsHostFixture>
{
    private const string FeedbackPath = "/cds-services/ketamine-order-sign/feedback";
    private readonly CdsHost _host = fixture.Host;

    [Theory]
    [InlineData("09-feedback-accepted.json")]
    [InlineData("10-feedback-overridden-no-reason.json")]
    [InlineData("11-feedback-overridden-with-reason.json")]
    public async Task Spec_feedback_examples_are_accepted(string file)
    {
        using var response = await _host.PostAsync(FeedbackPath, RepoFiles.Example(file), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string, string> InvalidFeedback => new()
    {
        { "not JSON", "{feedback", "not valid JSON" },
        { "no feedback array", """{"cards":[]}""", "'feedback' array" },
        { "empty array", """{"feedback":[]}""", "is empty" },
        { "card id of 1,000 characters", $$"""{"feedback":[{"card":"{{new string('c', 1_000)}}","outcome":"overridden","outcomeTimestamp":"2026-11-27T10:00:00Z"}]}""", "card is longer than 128 characters" },
        { "missing card", """{"feedback":[{"outcome":"overridden","outcomeTimestamp":"2026-11-27T10:00:00Z"}]}""", "card is required" },
        { "bad outcome", """{"feedback":[{"card":"c1","outcome":"ignored","outcomeTimestamp":"2026-11-27T10:00:00Z"}]}""", "outcome must be 'accepted' or 'overridden'" },
        { "accepted without suggestions", """{"feedback":[{"card":"c1","outcome":"accepted","outcomeTimestamp":"2026-11-27T10:00:00Z"}]}""", "acceptedSuggestions is required" },
        { "missing timestamp", """{"feedback":[{"card":"c1","outcome":"overridden"}]}""", "outcomeTimestamp must be an RFC 3339 date-time" },
        { "timestamp without time", """{"feedback":[{"card":"c1","outcome":"overridden","outcomeTimestamp":"2026-11-27"}]}""", "outcomeTimestamp must be an RFC 3339 date-time" },
        { "empty override reason", """{"feedback":[{"card":"c1","outcome":"overridden","outcomeTimestamp":"2026-11-27T10:00:00Z","overrideReason":{}}]}""", "needs a reason or a userComment" },
        { "reason without code", """{"feedback":[{"card":"c1","outcome":"overridden","outcomeTimestamp":"2026-11-27T10:00:00Z","overrideReason":{"reason":{"system":"x"}}}]}""", "reason needs a code" },
    };

    [Theory]
    [MemberData(nameof(InvalidFeedback))]
    public async Task Invalid_feedback_gets_400(string name, string body, string expected)
    {
        using var response = await _host.PostAsync(FeedbackPath, body, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: got {(int)response.StatusCode}");
        Assert.Contains(await ServiceRequestValidationTests.Diagnostics(response), d => d.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"userComment":"discussed with the patient"}""")]
    [InlineData("""{"reason":{"system":"http://example.org/override","code":"not-relevant"}}""")]
    [InlineData("""{}""")]
    public async Task Accepted_feedback_with_an_override_reason_is_recorded_as_accepted_and_the_reason_ignored(string reason)
    {
        var card = Guid.NewGuid().ToString();
        var body = $$"""{"feedback":[{"card":"{{card}}","outcome":"accepted","outcomeTimestamp":"2026-11-27T10:00:00Z","acceptedSuggestions":[{"id":"s1"}],"overrideReason":{{reason}}}]}""";
        var store = _host.Factory.Services.GetRequiredService<FeedbackStore>();

        using var response = await _host.PostAsync("/cds-services/ketamine-order-select/feedback", body, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await store.FindByCardAsync(card, TestContext.Current.CancellationToken));
        Assert.Equal("accepted", stored.Outcome);
        Assert.Null(stored.OverrideCode);
        Assert.Null(stored.UserComment);
    }

    [Fact]
    public async Task Repeated_feedback_is_recorded_once()
    {
        var card = Guid.NewGuid().ToString();
        var body = """{"feedback":[{"card":"CARD","outcome":"overridden","outcomeTimestamp":"2026-11-27T10:00:00Z","overrideReason":{"userComment":"discussed"}}]}""".Replace("CARD", card, StringComparison.Ordinal);
        var store = _host.Factory.Services.GetRequiredService<FeedbackStore>();

        using var first = await _host.PostAsync("/cds-services/ketamine-trd-screening/feedback", body, cancellationToken: TestContext.Current.CancellationToken);
        using var second = await _host.PostAsync("/cds-services/ketamine-trd-screening/feedback", body, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var stored = Assert.Single(await store.FindByCardAsync(card, TestContext.Current.CancellationToken));
        Assert.Equal("discussed", stored.UserComment);
    }

    [Fact]
    public async Task Feedback_for_an_unknown_service_is_404()
    {
        using var response = await _host.PostAsync("/cds-services/nope/feedback", RepoFiles.Example("09-feedback-accepted.json"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
