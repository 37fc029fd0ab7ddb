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
        await using var rig = await WriterRig.CreateAsync(capacity: 2, TimeSpan.Zero, TimeProvider.System);
        using var dropped = rig.Collect("ketamine_cds.audit.dropped");

        var accepted = Enumerable.Range(0, 5).Select(i => rig.Outbox.TryEnqueue(Record(i))).ToList();

        Assert.Equal([true, true, false, false, false], accepted);
        Assert.Equal(3, rig.Outbox.Dropped);
        Assert.Equal(2, rig.Outbox.Count);

        await rig.Writer.StartAsync(ct);
        await rig.Writer.StopAsync(ct);

        Assert.Equal(2L, await rig.StoredAsync(ct));
        var warning = Assert.Single(rig.Logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("3 audit record(s) dropped", warning.Message, StringComparison.Ordinal);
        Assert.Equal(3, Assert.Single(dropped.GetMeasurementSnapshot()).Value);
        Assert.False(rig.Outbox.TryEnqueue(Record(9))); // after shutdown: refused, not blocking
    }

    [Fact]
    public async Task Records_arriving_while_the_writer_lingers_are_written_in_one_transaction()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new TimerWatchingTimeProvider();
        var linger = TimeSpan.FromMilliseconds(10);
        await using var rig = await WriterRig.CreateAsync(capacity: 100, linger, time);
        using var written = rig.Collect("ketamine_cds.audit.written");
        await rig.Writer.StartAsync(ct);

        Assert.True(rig.Outbox.TryEnqueue(Record(0)));
        await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30), ct); // the writer woke for the first record and waits for more
        Assert.True(rig.Outbox.TryEnqueue(Record(1)));
        Assert.True(rig.Outbox.TryEnqueue(Record(2)));
        Assert.Equal(0L, await rig.StoredAsync(ct));

        time.Advance(linger);
        await written.WaitForMeasurementsAsync(1, ct);

        Assert.Equal(3, Assert.Single(written.GetMeasurementSnapshot()).Value); // one batch of three
        Assert.Equal(3L, await rig.StoredAsync(ct));
        await rig.Writer.StopAsync(ct);
    }

    [Fact]
    public async Task Shutdown_writes_a_lingering_batch_without_waiting_for_the_linger()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new TimerWatchingTimeProvider();
        await using var rig = await WriterRig.CreateAsync(capacity: 100, TimeSpan.FromSeconds(1), time);
        await rig.Writer.StartAsync(ct);
        Assert.True(rig.Outbox.TryEnqueue(Record(0)));
        await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30), ct);

        // The fake clock never moves: only the stop can end the linger (the 30 s guard against a hang is not a timing assertion).
        await rig.Writer.StopAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(1L, await rig.StoredAsync(ct));
    }

    private static AuditRecord Record(int i) => new()
    {
        At = DateTimeOffset.UtcNow,
        ServiceId = "ketamine-trd-screening",
        HookInstance = "h" + i,
        Status = 200,
        DurationMs = 1,
    };

    /// <summary>An outbox and its writer over a real SQLite database, with the writer's metrics and log.</summary>
    private sealed class WriterRig : IAsyncDisposable
    {
        private readonly TestDatabase _db;
        private readonly StorageDatabase _database;
        private readonly ServiceProvider _services;

        private WriterRig(TestDatabase db, int capacity, TimeSpan linger, TimeProvider time)
        {
            _db = db;
            _database = db.Open();
            _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            Outbox = new AuditOutbox(capacity);
            Writer = new AuditWriter(
                Outbox,
                new AuditStore(_database),
                new StorageMetrics(Meters, Outbox),
                new StorageOptions { AuditQueueCapacity = capacity, AuditBatchLinger = linger },
                time,
                Logger);
        }

        public AuditOutbox Outbox { get; }

        public AuditWriter Writer { get; }

        public FakeLogger<AuditWriter> Logger { get; } = new();

        private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

        public static async Task<WriterRig> CreateAsync(int capacity, TimeSpan linger, TimeProvider time) =>
            new(await TestDatabase.CreateAsync(StorageProvider.Sqlite), capacity, linger, time);

        public MetricCollector<long> Collect(string instrument) => new(Meters, StorageMetrics.MeterName, instrument);

        public async Task<long> StoredAsync(CancellationToken ct) => (await new AuditStore(_database).CountAsync(ct)).Calls;

        public async ValueTask DisposeAsync()
        {
            _database.Dispose();
            await _services.DisposeAsync();
            await _db.DisposeAsync();
        }
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
}
