using System.Diagnostics.Metrics;
using KetamineCds.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace KetamineCds.Api.Tests.Storage;

/// <summary>
/// A full audit queue refuses records at once (never waits), counts them, and the writer logs the drops once; the writer
/// groups the records that arrive while it lingers into one transaction and writes them at once on shutdown.
/// </summary>
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
        var writer = new AuditWriter(outbox, new AuditStore(database), metrics, new StorageOptions { AuditQueueCapacity = 2 }, TimeProvider.System, logger);

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

    [Fact]
    public async Task Records_arriving_while_the_writer_lingers_are_written_in_one_transaction()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        using var database = db.Open();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var written = new MetricCollector<long>(meters, StorageMetrics.MeterName, "ketamine_cds.audit.written");
        var outbox = new AuditOutbox(capacity: 100);
        var time = new TimerWatchingTimeProvider();
        var linger = TimeSpan.FromMilliseconds(10);
        using var writer = new AuditWriter(
            outbox, new AuditStore(database), new StorageMetrics(meters, outbox), new StorageOptions { AuditBatchLinger = linger }, time, new FakeLogger<AuditWriter>());
        await writer.StartAsync(ct);

        Assert.True(outbox.TryEnqueue(Record(0)));
        await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30), ct); // the writer woke for the first record and waits for more
        Assert.True(outbox.TryEnqueue(Record(1)));
        Assert.True(outbox.TryEnqueue(Record(2)));
        Assert.Equal(0L, (await new AuditStore(database).CountAsync(ct)).Calls);

        time.Advance(linger);
        await written.WaitForMeasurementsAsync(1, ct);

        Assert.Equal(3, Assert.Single(written.GetMeasurementSnapshot()).Value); // one batch of three
        Assert.Equal(3L, (await new AuditStore(database).CountAsync(ct)).Calls);
        await writer.StopAsync(ct);
    }

    [Fact]
    public async Task Shutdown_writes_a_lingering_batch_without_waiting_for_the_linger()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        using var database = db.Open();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var outbox = new AuditOutbox(capacity: 100);
        var time = new TimerWatchingTimeProvider();
        using var writer = new AuditWriter(
            outbox, new AuditStore(database), new StorageMetrics(meters, outbox), new StorageOptions { AuditBatchLinger = TimeSpan.FromSeconds(1) }, time, new FakeLogger<AuditWriter>());
        await writer.StartAsync(ct);
        Assert.True(outbox.TryEnqueue(Record(0)));
        await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30), ct);

        // The fake clock never moves: only the stop can end the linger (the 30 s guard against a hang is not a timing assertion).
        await writer.StopAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(1L, (await new AuditStore(database).CountAsync(ct)).Calls);
    }

    /// <summary>A fake clock that says when a timer (the writer's linger) has been created.</summary>
    private sealed class TimerWatchingTimeProvider : FakeTimeProvider
    {
        private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task TimerCreated => _timerCreated.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timerCreated.TrySetResult();
            return timer;
        }
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
