using System.Data.Common;
using KetamineCds.Storage;

namespace KetamineCds.Api.Tests.Storage;

/// <summary>
/// Audit batches commit without a disk flush; feedback (acknowledged to the EHR) always with one, also on a pooled
/// connection that an audit batch used just before.
/// </summary>
public sealed class CommitDurabilityTests
{
    [Fact]
    public async Task Sqlite_relaxes_only_the_connections_opened_for_it_and_never_leaks_through_the_pool()
    {
        await using var test = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        using var database = test.Open();
        var ct = TestContext.Current.CancellationToken;

        // SQLite's numbers: 1 = NORMAL, 2 = FULL.
        await using (var relaxed = await database.OpenAsync(CommitDurability.Relaxed, ct))
        {
            Assert.Equal(1L, await ScalarAsync(relaxed, null, "PRAGMA synchronous;", ct));
        }

        // Pooled: the same connection comes back, and it flushes again.
        await using (var flushed = await database.OpenAsync(ct))
        {
            Assert.Equal(2L, await ScalarAsync(flushed, null, "PRAGMA synchronous;", ct));
        }
    }

    [Fact]
    public async Task Postgres_relaxes_only_the_audit_transaction()
    {
        await using var test = await TestDatabase.CreateAsync(StorageProvider.PostgreSql);
        using var database = test.Open();
        var ct = TestContext.Current.CancellationToken;

        await using var connection = await database.OpenAsync(CommitDurability.Relaxed, ct);

        // The throwaway CI server runs with synchronous_commit=off for speed; a production server has it on.
        await ScalarAsync(connection, null, "SET synchronous_commit = on", ct);
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await StorageDatabase.RelaxCommitAsync(connection, transaction, ct);
            Assert.Equal("off", await ScalarAsync(connection, transaction, "SHOW synchronous_commit", ct));
            await transaction.CommitAsync(ct);
        }

        await using (var next = await connection.BeginTransactionAsync(ct))
        {
            Assert.Equal("on", await ScalarAsync(connection, next, "SHOW synchronous_commit", ct));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Audit_batches_written_relaxed_are_read_back(StorageProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        using var database = test.Open();
        var store = new AuditStore(database);
        var ct = TestContext.Current.CancellationToken;
        var at = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

        await store.WriteAsync([new AuditRecord
        {
            At = at, HookInstance = "durability-1", ServiceId = "ketamine-trd-screening", Hook = "patient-view",
            PatientKey = "k", DataSource = "prefetch", Status = 200, DurationMs = 1,
            Cards = [new AuditCard("card-1", "trd-candidate", "info")],
        }], ct);

        var read = Assert.Single(await store.FindByHookInstanceAsync("durability-1", ct));
        Assert.Equal("trd-candidate", Assert.Single(read.Cards).Topic);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }
}
