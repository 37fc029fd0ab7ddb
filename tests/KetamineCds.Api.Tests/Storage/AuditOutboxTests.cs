using System.Diagnostics.Metrics;
using KetamineCds.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace KetamineCds.Api.Tests.Storage;

/// <summary>A full audit queue refuses records at once (never waits), counts them, and the writer logs the drops once.</summary>
public sealed class AuditOutboxTests
{
    [Fact]
    public async Task A_full_queue_drops_and_counts_and_the_writer_flushes_the_rest_on_shutdown()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        using var database = db.Open();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var dropped = new MetricCollector<long>(meters, StorageMetrics.MeterName, "ketamine_cds.audit.dropped");
        var outbox = new AuditOutbox(capacity: 2);
        var metrics = new StorageMetrics(meters, outbox);
        var logger = new FakeLogger<AuditWriter>();
        var writer = new AuditWriter(outbox, new AuditStore(database), metrics, new StorageOptions { AuditQueueCapacity = 2 }, logger);

        var accepted = Enumerable.Range(0, 5).Select(i => outbox.TryEnqueue(Record(i))).ToList();

        Assert.Equal([true, true, false, false, false], accepted);
        Assert.Equal(3, outbox.Dropped);
        Assert.Equal(2, outbox.Count);

        await writer.StartAsync(ct);
        await writer.StopAsync(ct);

        Assert.Equal(2L, (await new AuditStore(database).CountAsync(ct)).Calls);
        var warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("3 audit record(s) dropped", warning.Message, StringComparison.Ordinal);
        Assert.Equal(3, Assert.Single(dropped.GetMeasurementSnapshot()).Value);
        Assert.False(outbox.TryEnqueue(Record(9))); // after shutdown: refused, not blocking
    }

    private static AuditRecord Record(int i) => new()
    {
        At = DateTimeOffset.UtcNow,
        ServiceId = "ketamine-trd-screening",
        HookInstance = "h" + i,
        Status = 200,
        DurationMs = 1,
    };
}
