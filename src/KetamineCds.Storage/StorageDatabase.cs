using System.Data.Common;
using System.Reflection;
using DbUp;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KetamineCds.Storage;

/// <summary>
/// Connections to the configured database and its schema: versioned SQL scripts (embedded under
/// <c>Migrations/{Provider}/</c>) applied with DbUp at start-up. SQLite runs in WAL mode.
/// </summary>
public sealed class StorageDatabase : IDisposable
{
    // Any fixed number: serialises schema upgrades of several instances starting together on one PostgreSQL.
    private const long MigrationLockId = 0x4b43_4453_0001;

    private readonly NpgsqlDataSource? _postgres;
    private readonly string _connectionString;

    public StorageDatabase(StorageProvider provider, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Provider = provider;
        _connectionString = connectionString;
        if (provider == StorageProvider.PostgreSql)
        {
            _postgres = NpgsqlDataSource.Create(connectionString);
        }
    }

    public StorageProvider Provider { get; }

    /// <summary>The connection string the options describe (SQLite: a file under the data folder by default).</summary>
    public static string ResolveConnectionString(StorageOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return options.ConnectionString;
        }

        if (options.Provider == StorageProvider.PostgreSql)
        {
            throw new InvalidOperationException("Storage:ConnectionString is required when Storage:Provider is PostgreSql.");
        }

        var directory = Path.GetFullPath(options.DataDirectory, contentRoot);
        Directory.CreateDirectory(directory);
        return new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "ketaminecds.db") }.ToString();
    }

    /// <summary>A connection whose commits are flushed to disk before they return (what feedback and reads use).</summary>
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(CommitDurability.Flushed, cancellationToken);

    /// <summary>
    /// A connection with the given commit durability. SQLite sets it on every open (<c>PRAGMA synchronous</c> is per
    /// connection and pooled connections are reused, so a relaxed setting must never leak to a feedback write);
    /// PostgreSQL applies it per transaction (<see cref="RelaxCommitAsync"/>).
    /// </summary>
    public async Task<DbConnection> OpenAsync(CommitDurability durability, CancellationToken cancellationToken = default)
    {
        DbConnection connection = _postgres is not null ? _postgres.CreateConnection() : new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (connection is SqliteConnection sqlite)
            {
                // WAL with NORMAL: a commit survives a crash of the process, not of the machine; FULL flushes every commit.
                using var pragma = sqlite.CreateCommand();
                pragma.CommandText = durability == CommitDurability.Flushed ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// PostgreSQL: the current transaction commits without waiting for its WAL flush (<c>SET LOCAL synchronous_commit =
    /// off</c>); a server crash may lose the last few hundred milliseconds of such commits, never corrupts. SQLite: nothing
    /// (durability is chosen when opening).
    /// </summary>
    public static async Task RelaxCommitAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is NpgsqlConnection)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SET LOCAL synchronous_commit = off";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Creates the database objects or brings them to the latest version. Throws with DbUp's error when a script fails.</summary>
    public void Migrate()
    {
        var assembly = typeof(StorageDatabase).Assembly;
        var folder = $".Migrations.{Provider}.";
        if (Provider == StorageProvider.Sqlite)
        {
            EnsureSqliteFolder();
            using (var connection = new SqliteConnection(_connectionString))
            {
                connection.Open();
                using var wal = connection.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode=WAL;";
                wal.ExecuteNonQuery();
            }

            Run(DeployChanges.To.SqliteDatabase(_connectionString), assembly, folder);
            return;
        }

        using var lockConnection = _postgres!.OpenConnection();
        using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockId})", lockConnection))
        {
            take.ExecuteNonQuery();
        }

        try
        {
            Run(DeployChanges.To.PostgresqlDatabase(_connectionString), assembly, folder);
        }
        finally
        {
            using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockId})", lockConnection);
            release.ExecuteNonQuery();
        }
    }

    public void Dispose() => _postgres?.Dispose();

    private static void Run(DbUp.Builder.UpgradeEngineBuilder builder, Assembly assembly, string folder)
    {
        var result = builder
            .WithScriptsEmbeddedInAssembly(assembly, name => name.Contains(folder, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Storage migration failed at script '{result.ErrorScript?.Name}': {result.Error.Message}", result.Error);
        }
    }

    private void EnsureSqliteFolder()
    {
        var file = new SqliteConnectionStringBuilder(_connectionString).DataSource;
        if (!string.IsNullOrEmpty(file) && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
    }

    internal static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    internal static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}
