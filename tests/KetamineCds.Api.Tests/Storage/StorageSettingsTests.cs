using KetamineCds.Api.Admin;
using KetamineCds.Api.Hosting;
using KetamineCds.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Tests.Storage;

/// <summary>Storage and admin settings are validated at start-up with messages naming the key.</summary>
public sealed class StorageSettingsTests
{
    [Fact]
    public void The_example_settings_file_configures_storage_and_admin()
    {
        using var app = Build("Production", new() { ["CdsHooks:PublicBaseUrl"] = "https://cds.example.org" }, example: true);

        app.Services.GetRequiredService<IStartupValidator>().Validate();
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        Assert.Equal(StorageProvider.Sqlite, storage.Provider);
        Assert.Equal(365, storage.RetentionDays);
        Assert.Equal(TimeSpan.FromMilliseconds(10), storage.AuditBatchLinger);
        Assert.Single(app.Services.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKeys);
    }

    [Theory]
    [InlineData("Production", null, null, "Storage:PatientKeySecret is required outside Development")]
    [InlineData("Production", "short", null, "Storage:PatientKeySecret must be at least 16 characters")]
    [InlineData("Development", null, "PostgreSql", "Storage:ConnectionString is required when Storage:Provider is PostgreSql")]
    public void Bad_storage_settings_stop_start_up(string environment, string? secret, string? provider, string expected)
    {
        using var app = Build(environment, new() { ["Storage:PatientKeySecret"] = secret, ["Storage:Provider"] = provider });

        var ex = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-00:00:00.001")]
    [InlineData("00:00:02")]
    public void An_audit_linger_outside_zero_to_one_second_stops_start_up(string linger)
    {
        using var app = Build("Development", new() { ["Storage:AuditBatchLinger"] = linger });

        var ex = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(ex.Failures, f => f.Contains("Storage:AuditBatchLinger must be between 00:00:00 and 00:00:01", StringComparison.Ordinal));
    }

    [Fact]
    public void Development_needs_no_storage_settings()
    {
        using var app = Build("Development", []);

        app.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    private static WebApplication Build(string environment, Dictionary<string, string?> settings, bool example = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ApplicationName = typeof(Program).Assembly.GetName().Name });
        builder.Configuration.Sources.Clear();
        if (example)
        {
            builder.Configuration.AddJsonFile(Endpoints.RepoFiles.PathOf("appsettings.example.json"), optional: false);
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddKetamineCdsStorage();
        return builder.Build();
    }
}
