using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KetamineCds.Storage;

/// <summary>
/// Purges feedback and audit records older than <see cref="StorageOptions.RetentionDays"/>, at start-up and then every
/// <see cref="StorageOptions.RetentionInterval"/> on the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class RetentionService(AuditStore store, StorageMetrics metrics, StorageOptions options, TimeProvider time, ILogger<RetentionService> logger)
    : BackgroundService
{
    /// <summary>One purge pass; returns the rows deleted.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddDays(-options.RetentionDays);
        var deleted = await store.PurgeOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
        metrics.Purged(deleted);
        LogPurged(logger, deleted, cutoff);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.RetentionInterval, time);
        do
        {
            try
            {
                await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The next pass retries; a failed purge must not stop the service.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPurgeFailed(logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Retention: {Rows} row(s) older than {Cutoff:O} purged")]
    private static partial void LogPurged(ILogger logger, int rows, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Error, Message = "Retention purge failed; it is retried at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
