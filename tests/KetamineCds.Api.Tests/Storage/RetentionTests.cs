using System.Diagnostics.Metrics;
using KetamineCds.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KetamineCds.Api.Tests.Storage;

/// <summary>The retention service purges records older than Storage:RetentionDays, at start and on its schedule.</summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Old_records_are_purged_on_schedule(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(provider);
        using var database = db.Open();
        var time = new FakeTimeProvider(Now.AddDays(-400));
        var audit = new AuditStore(database);
        await audit.WriteAsync([Call("old", Now.AddDays(-400)), Call("aging", Now.AddDays(-300)), Call("new", Now.AddDays(-1))], ct);
        await new FeedbackStore(database, time).AddAsync([Feedback("old-card")], ct);
        time.SetUtcNow(Now.AddDays(-2));
        await new FeedbackStore(database, time).AddAsync([Feedback("new-card")], ct);
        time.SetUtcNow(Now);

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var purged = new MetricCollector<long>(meters, StorageMetrics.MeterName, "ketamine_cds.storage.purged");
        var options = new StorageOptions { RetentionDays = 365, RetentionInterval = TimeSpan.FromHours(1) };
        using var retention = new RetentionService(audit, new StorageMetrics(meters, new AuditOutbox(10)), options, time, NullLogger<RetentionService>.Instance);

        await retention.StartAsync(ct);
        await purged.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        Assert.Equal((1L, 2L, 2L), await audit.CountAsync(ct)); // "old" call (1 row + 1 card) and the old feedback gone
        Assert.Equal(3, purged.LastMeasurement!.Value);

        // 70 days later the next scheduled pass finds the "aging" call past 365 days.
        time.Advance(TimeSpan.FromDays(70));
        await purged.WaitForMeasurementsAsync(2, TimeSpan.FromSeconds(30));
        Assert.Equal((1L, 1L, 1L), await audit.CountAsync(ct));

        // The jump of 70 days may wake the timer more than once; the passes after the first purge 2 rows in all.
        Assert.Equal(2, purged.GetMeasurementSnapshot().Skip(1).Sum(m => m.Value));
        await retention.StopAsync(ct);
    }

    private static AuditRecord Call(string hookInstance, DateTimeOffset at) => new()
    {
        At = at,
        ServiceId = "ketamine-trd-screening",
        HookInstance = hookInstance,
        Status = 200,
        DurationMs = 1,
        Cards = [new AuditCard(hookInstance + "-card", "trd-candidate", "info")],
    };

    private static FeedbackRecord Feedback(string card) => new()
    {
        ServiceId = "ketamine-trd-screening",
        CardUuid = card,
        Outcome = "overridden",
        OutcomeTimestamp = Now,
    };
}
