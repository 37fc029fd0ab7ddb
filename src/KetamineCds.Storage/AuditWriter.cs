using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KetamineCds.Storage;

/// <summary>
/// Hosted service that drains <see cref="AuditOutbox"/> in batches (up to <see cref="StorageOptions.AuditBatchSize"/>
/// records per transaction). On graceful shutdown it stops taking records and writes everything queued. A batch that
/// cannot be written is dropped (counted and logged) so a storage outage never grows memory without bound.
/// </summary>
public sealed partial class AuditWriter(
    AuditOutbox queue, AuditStore store, StorageMetrics metrics, StorageOptions options, TimeProvider time, ILogger<AuditWriter> logger)
    : IHostedService
{
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private long _droppedReported;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        _stopping.TrySetResult(); // a lingering batch is written now
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<AuditRecord>(options.AuditBatchSize);
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await LingerAsync(reader.Count).ConfigureAwait(false);
            while (batch.Count < options.AuditBatchSize && reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            await WriteAsync(batch).ConfigureAwait(false);
            batch.Clear();
            ReportDrops();
        }

        ReportDrops();
    }

    /// <summary>Waits <see cref="StorageOptions.AuditBatchLinger"/> for a batch to fill, unless it is full or the writer is stopping.</summary>
    private async Task LingerAsync(int queued)
    {
        if (options.AuditBatchLinger <= TimeSpan.Zero || queued >= options.AuditBatchSize || _stopping.Task.IsCompleted)
        {
            return;
        }

        // Whichever comes first; a delay left running after a stop ends by itself (at most one linger, 1 s).
        await Task.WhenAny(Task.Delay(options.AuditBatchLinger, time), _stopping.Task).ConfigureAwait(false);
    }

    private async Task WriteAsync(List<AuditRecord> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await store.WriteAsync(batch).ConfigureAwait(false);
            metrics.BatchWritten(batch.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
#pragma warning disable CA1031 // A storage failure must not stop the writer; the batch is counted as dropped.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            metrics.Dropped(batch.Count, "storage-error");
            LogWriteFailed(logger, ex, batch.Count);
        }
    }

    private void ReportDrops()
    {
        var dropped = queue.Dropped;
        var newDrops = dropped - _droppedReported;
        if (newDrops > 0)
        {
            _droppedReported = dropped;
            metrics.Dropped(newDrops, "queue-full");
            LogDropped(logger, newDrops, dropped, options.AuditQueueCapacity);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Audit queue full: {NewDrops} audit record(s) dropped ({TotalDrops} since start; capacity {Capacity})")]
    private static partial void LogDropped(ILogger logger, long newDrops, long totalDrops, int capacity);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Writing {Count} audit record(s) failed; the batch is dropped")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
