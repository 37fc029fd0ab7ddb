using System.Diagnostics.Metrics;

namespace KetamineCds.Storage;

/// <summary>Meter <c>KetamineCds.Storage</c>: audit queue depth, dropped records, batch write latency, purged rows.</summary>
public sealed class StorageMetrics
{
    public const string MeterName = "KetamineCds.Storage";

    private readonly Counter<long> _dropped;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _written;
    private readonly Counter<long> _purged;

    public StorageMetrics(IMeterFactory meterFactory, AuditOutbox queue)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(queue);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("ketamine_cds.audit.queue_depth", () => queue.Count, "{record}", "Audit records waiting to be written.");
        _dropped = meter.CreateCounter<long>("ketamine_cds.audit.dropped", "{record}", "Audit records dropped because the queue was full or storage failed.");
        _batchDuration = meter.CreateHistogram<double>("ketamine_cds.audit.batch_duration", "ms", "Time to write one batch of audit records.");
        _written = meter.CreateCounter<long>("ketamine_cds.audit.written", "{record}", "Audit records written.");
        _purged = meter.CreateCounter<long>("ketamine_cds.storage.purged", "{row}", "Rows deleted by the retention purge.");
    }

    public void Dropped(long count, string reason) => _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void BatchWritten(int count, double elapsedMs)
    {
        _written.Add(count);
        _batchDuration.Record(elapsedMs);
    }

    public void Purged(int rows) => _purged.Add(rows);
}
