using System.ComponentModel.DataAnnotations;

namespace KetamineCds.Storage;

public enum StorageProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>The <c>Storage</c> section: where feedback and the audit trail are kept, and for how long.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>Sqlite</c> (embedded, the default) or <c>PostgreSql</c> (several instances).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Npgsql connection string (PostgreSql), or a Microsoft.Data.Sqlite one; default: <c>{DataDirectory}/ketaminecds.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder of the SQLite file; relative paths are under the content root. Default <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Feedback and audit records older than this are purged.</summary>
    [Range(1, 36500)]
    public int RetentionDays { get; set; } = 365;

    /// <summary>How often the retention purge runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>HMAC-SHA256 key of the pseudonymous patient key in the audit trail. Required outside Development.</summary>
    public string? PatientKeySecret { get; set; }

    /// <summary>Audit records waiting to be written; when full, new records are dropped (and counted), never waited for.</summary>
    [Range(1, 10_000_000)]
    public int AuditQueueCapacity { get; set; } = 10_000;

    /// <summary>Largest number of audit records written in one transaction.</summary>
    [Range(1, 100_000)]
    public int AuditBatchSize { get; set; } = 500;

    /// <summary>
    /// How long the writer waits after the first record of a batch for more to arrive before writing (group commit: one
    /// transaction and one wake-up for many calls instead of one per call; docs/performance.md, sixth round). Zero writes
    /// each record as soon as it comes. At most one second; a graceful shutdown writes a lingering batch at once.
    /// </summary>
    public TimeSpan AuditBatchLinger { get; set; } = TimeSpan.FromMilliseconds(10);
}
