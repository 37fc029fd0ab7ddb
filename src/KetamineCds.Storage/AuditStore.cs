using System.Data;
using System.Data.Common;
using Dapper;

namespace KetamineCds.Storage;

/// <summary>The audit trail of hook calls: batched writes, reads for tests and tools, and the retention purge.</summary>
public sealed class AuditStore(StorageDatabase database)
{
    private const string InsertCallSql = """
        INSERT INTO hook_call (at, hook_instance, service_id, hook, client_name, client_issuer, tenant, patient_key,
                               data_source, fhir_requests, status, duration_ms)
        VALUES (@At, @HookInstance, @ServiceId, @Hook, @ClientName, @ClientIssuer, @Tenant, @PatientKey,
                @DataSource, @FhirRequests, @Status, @DurationMs)
        """;

    private const string InsertCardSql = """
        INSERT INTO hook_card (at, hook_instance, service_id, card_uuid, topic, indicator)
        VALUES (@At, @HookInstance, @ServiceId, @Uuid, @Topic, @Indicator)
        """;

    private static readonly (string Name, DbType Type)[] CallColumns =
    [
        ("@At", DbType.Int64), ("@HookInstance", DbType.String), ("@ServiceId", DbType.String), ("@Hook", DbType.String),
        ("@ClientName", DbType.String), ("@ClientIssuer", DbType.String), ("@Tenant", DbType.String), ("@PatientKey", DbType.String),
        ("@DataSource", DbType.String), ("@FhirRequests", DbType.Int32), ("@Status", DbType.Int32), ("@DurationMs", DbType.Double),
    ];

    private static readonly (string Name, DbType Type)[] CardColumns =
    [
        ("@At", DbType.Int64), ("@HookInstance", DbType.String), ("@ServiceId", DbType.String), ("@Uuid", DbType.String),
        ("@Topic", DbType.String), ("@Indicator", DbType.String),
    ];

    /// <summary>
    /// Writes the records in one transaction, without waiting for the disk flush (<see cref="CommitDurability.Relaxed"/>):
    /// the audit trail is written in background batches; a process crash loses only what was still queued, as before.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(CommitDurability.Relaxed, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await StorageDatabase.RelaxCommitAsync(connection, transaction, cancellationToken);
        await InsertAsync(connection, transaction, InsertCallSql, CallColumns, records.Select(r => new object?[]
        {
            StorageDatabase.ToUnixMs(r.At), r.HookInstance, r.ServiceId, r.Hook, r.ClientName, r.ClientIssuer, r.Tenant, r.PatientKey,
            r.DataSource, r.FhirRequests, r.Status, r.DurationMs,
        }), cancellationToken);
        await InsertAsync(connection, transaction, InsertCardSql, CardColumns, records.SelectMany(r => r.Cards.Select(c => new object?[]
        {
            StorageDatabase.ToUnixMs(r.At), r.HookInstance, r.ServiceId, c.Uuid, c.Topic, c.Indicator,
        })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// One prepared INSERT, executed row after row with new values. Hand-written because Dapper prepares the statement
    /// anew for every row of a list (SQLite parsed the SQL for each audit row: about a third of the writer's CPU).
    /// </summary>
    private static async Task InsertAsync(
        DbConnection connection, DbTransaction transaction, string sql, (string Name, DbType Type)[] columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var parameters = new DbParameter[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = columns[i].Name;
            parameters[i].DbType = columns[i].Type;
            command.Parameters.Add(parameters[i]);
        }

        var prepared = false;
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }

            if (!prepared)
            {
                await command.PrepareAsync(cancellationToken);
                prepared = true;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The audit records of one hookInstance (cards included), oldest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> FindByHookInstanceAsync(string hookInstance, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var calls = await connection.QueryAsync<CallRow>(new CommandDefinition(
            """
            SELECT at AS At, hook_instance AS HookInstance, service_id AS ServiceId, hook AS Hook, client_name AS ClientName,
                   client_issuer AS ClientIssuer, tenant AS Tenant, patient_key AS PatientKey, data_source AS DataSource,
                   fhir_requests AS FhirRequests, status AS Status, duration_ms AS DurationMs
            FROM hook_call WHERE hook_instance = @hookInstance ORDER BY id
            """,
            new { hookInstance },
            cancellationToken: cancellationToken));
        var cards = (await connection.QueryAsync<CardRow>(new CommandDefinition(
            "SELECT at AS At, card_uuid AS Uuid, topic AS Topic, indicator AS Indicator FROM hook_card WHERE hook_instance = @hookInstance ORDER BY id",
            new { hookInstance },
            cancellationToken: cancellationToken))).ToList();
        return [.. calls.Select(c => c.ToRecord([.. cards.Where(k => k.At == c.At).Select(k => new AuditCard(k.Uuid, k.Topic, k.Indicator))]))];
    }

    /// <summary>Deletes feedback and audit records older than <paramref name="cutoff"/>; returns the rows deleted.</summary>
    public async Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var before = new { cutoff = StorageDatabase.ToUnixMs(cutoff) };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM hook_card WHERE at < @cutoff", before, transaction, cancellationToken: cancellationToken));
        deleted += await connection.ExecuteAsync(new CommandDefinition("DELETE FROM hook_call WHERE at < @cutoff", before, transaction, cancellationToken: cancellationToken));
        deleted += await connection.ExecuteAsync(new CommandDefinition("DELETE FROM feedback WHERE received_at < @cutoff", before, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>Rows per table (feedback, hook_call, hook_card), for tests and tools.</summary>
    public async Task<(long Feedback, long Calls, long Cards)> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var feedback = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM feedback", cancellationToken: cancellationToken));
        var calls = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM hook_call", cancellationToken: cancellationToken));
        var cards = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM hook_card", cancellationToken: cancellationToken));
        return (feedback, calls, cards);
    }

    private sealed class CallRow
    {
        public long At { get; set; }

        public string? HookInstance { get; set; }

        public string ServiceId { get; set; } = "";

        public string? Hook { get; set; }

        public string? ClientName { get; set; }

        public string? ClientIssuer { get; set; }

        public string? Tenant { get; set; }

        public string? PatientKey { get; set; }

        public string? DataSource { get; set; }

        public long FhirRequests { get; set; }

        public long Status { get; set; }

        public double DurationMs { get; set; }

        public AuditRecord ToRecord(IReadOnlyList<AuditCard> cards) => new()
        {
            At = StorageDatabase.FromUnixMs(At),
            HookInstance = HookInstance,
            ServiceId = ServiceId,
            Hook = Hook,
            ClientName = ClientName,
            ClientIssuer = ClientIssuer,
            Tenant = Tenant,
            PatientKey = PatientKey,
            DataSource = DataSource,
            FhirRequests = (int)FhirRequests,
            Status = (int)Status,
            DurationMs = DurationMs,
            Cards = cards,
        };
    }

    private sealed class CardRow
    {
        public long At { get; set; }

        public string Uuid { get; set; } = "";

        public string? Topic { get; set; }

        public string? Indicator { get; set; }
    }
}
