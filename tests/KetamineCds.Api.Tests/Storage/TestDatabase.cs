using KetamineCds.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KetamineCds.Api.Tests.Storage;

/// <summary>
/// A fresh, empty database of the given provider for one test: a SQLite file in a new temp folder, or a new
/// database on the real PostgreSQL server named by <c>KETAMINECDS_TEST_POSTGRES</c> (dropped afterwards).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "KETAMINECDS_TEST_POSTGRES";

    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;
    private readonly string? _folder;

    private TestDatabase(StorageProvider provider, string connectionString, string? adminConnectionString, string? databaseName, string? folder)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
        _folder = folder;
    }

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Both providers, for theories: the same tests run against SQLite and PostgreSQL.</summary>
    public static TheoryData<StorageProvider> Providers => new() { StorageProvider.Sqlite, StorageProvider.PostgreSql };

    /// <summary>The connection string of the test PostgreSQL server; a clear failure (never a skip) when it is not set.</summary>
    public static string PostgresServer()
        => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{PostgresVariable} is not set: these tests need a real PostgreSQL. Start one with `eval \"$(.ci/services start)\"` (as .ci/run does) and run the tests again.");

    public static async Task<TestDatabase> CreateAsync(StorageProvider provider)
    {
        if (provider == StorageProvider.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "ketaminecds-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "test.db") }.ToString();
            return new TestDatabase(provider, sqlite, null, null, folder);
        }

        var server = PostgresServer();
        var name = "kc_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, server, name, null);
    }

    /// <summary>Configuration that points the service at this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings()
    {
        yield return new("Storage:Provider", Provider.ToString());
        yield return new("Storage:ConnectionString", ConnectionString);
    }

    /// <summary>A migrated <see cref="StorageDatabase"/> on this database.</summary>
    public StorageDatabase Open()
    {
        var database = new StorageDatabase(Provider, ConnectionString);
        database.Migrate();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        if (_databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a pooled connection: the temp folder is left for the OS to clean.
            }
        }
    }
}
