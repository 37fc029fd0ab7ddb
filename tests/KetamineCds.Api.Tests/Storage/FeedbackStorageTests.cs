using System.Net;
using KetamineCds.Api.Tests.Endpoints;
using KetamineCds.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KetamineCds.Api.Tests.Storage;

/// <summary>Feedback through HTTP lands in real storage (SQLite and PostgreSQL), once, with its override reason.</summary>
public sealed class FeedbackStorageTests
{
    private const string FeedbackPath = "/cds-services/ketamine-trd-screening/feedback";

    internal static string Overridden(string card, string timestamp = "2026-11-27T10:00:00Z") => $$$"""
        {"feedback":[{"card":"{{{card}}}","outcome":"overridden","outcomeTimestamp":"{{{timestamp}}}",
          "overrideReason":{"reason":{"system":"http://example.org/override-reason","code":"patient-declined","display":"Patient declined"},
                            "userComment":"Discussed with the patient"}}]}
        """;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Feedback_is_stored_with_its_override_reason_and_comment(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(provider);
        var card = Guid.NewGuid().ToString();
        await using (var host = CdsHost.Start(db.Settings()))
        {
            using var response = await host.PostAsync(FeedbackPath, Overridden(card), cancellationToken: ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var database = db.Open();
        var stored = Assert.Single(await new FeedbackStore(database, TimeProvider.System).FindByCardAsync(card, ct));
        Assert.Equal("ketamine-trd-screening", stored.ServiceId);
        Assert.Equal("overridden", stored.Outcome);
        Assert.Equal(DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), stored.OutcomeTimestamp);
        Assert.Equal("http://example.org/override-reason", stored.OverrideSystem);
        Assert.Equal("patient-declined", stored.OverrideCode);
        Assert.Equal("Patient declined", stored.OverrideDisplay);
        Assert.Equal("Discussed with the patient", stored.UserComment);
        Assert.Equal("Test EHR 0", stored.ClientName);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_same_feedback_is_stored_once_also_after_a_restart(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(provider);
        var card = Guid.NewGuid().ToString();
        var accepted = $$"""{"feedback":[{"card":"{{card}}","outcome":"accepted","outcomeTimestamp":"2026-11-27T10:05:00Z","acceptedSuggestions":[{"id":"s1"}]}]}""";
        await using (var host = CdsHost.Start(db.Settings()))
        {
            foreach (var body in new[] { Overridden(card), Overridden(card), accepted })
            {
                using var response = await host.PostAsync(FeedbackPath, body, cancellationToken: ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        // A new process on the same database: the same items again are not stored again; a new outcome time is.
        await using (var host = CdsHost.Start(db.Settings()))
        {
            foreach (var body in new[] { Overridden(card), accepted, Overridden(card, "2026-11-28T09:00:00Z") })
            {
                using var response = await host.PostAsync(FeedbackPath, body, cancellationToken: ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var stored = await host.Factory.Services.GetRequiredService<FeedbackStore>().FindByCardAsync(card, ct);
            Assert.Equal(["overridden", "accepted", "overridden"], stored.Select(s => s.Outcome));
            Assert.Equal(["s1"], stored[1].AcceptedSuggestions);
        }
    }
}
