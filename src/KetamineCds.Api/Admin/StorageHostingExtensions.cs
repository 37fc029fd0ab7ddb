using KetamineCds.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Admin;

/// <summary>
/// Storage (feedback, audit trail, retention) and the admin endpoints' protection. SQLite under the data folder by
/// default, PostgreSQL for several instances; the schema is created or upgraded at start-up.
/// </summary>
public static class StorageHostingExtensions
{
    /// <summary>Used only in Development when <c>Storage:PatientKeySecret</c> is not set.</summary>
    internal const string DevelopmentPatientKeySecret = "development-only-patient-key-secret";

    public static WebApplicationBuilder AddKetamineCdsStorage(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<StorageOptions>();
            var environment = sp.GetRequiredService<IHostEnvironment>();
            return new StorageDatabase(options.Provider, StorageDatabase.ResolveConnectionString(options, environment.ContentRootPath));
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<StorageOptions>();
            return new PatientKeyHasher(string.IsNullOrEmpty(options.PatientKeySecret) ? DevelopmentPatientKeySecret : options.PatientKeySecret);
        });
        services.AddSingleton(sp => new AuditOutbox(sp.GetRequiredService<StorageOptions>().AuditQueueCapacity));
        services.AddSingleton<StorageMetrics>();
        services.AddSingleton<FeedbackStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<StatisticsQuery>();
        services.AddSingleton<AdminApiKeyFilter>();
        services.AddHostedService<AuditWriter>();
        services.AddHostedService<RetentionService>();
        return builder;
    }

    /// <summary>Creates or upgrades the schema (a failure stops start-up) and records every hook call in the audit trail.</summary>
    public static WebApplication UseKetamineCdsStorage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<StorageDatabase>().Migrate();
        app.UseMiddleware<HookAuditMiddleware>();
        return app;
    }
}

/// <summary>Start-up checks of <see cref="StorageOptions"/> that data annotations cannot express.</summary>
internal sealed class StorageOptionsValidator(IHostEnvironment environment) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (options.Provider == StorageProvider.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("Storage:ConnectionString is required when Storage:Provider is PostgreSql.");
        }

        if (string.IsNullOrEmpty(options.PatientKeySecret) && !environment.IsDevelopment())
        {
            failures.Add("Storage:PatientKeySecret is required outside Development (the key of the pseudonymous patient key in the audit trail).");
        }
        else if (!string.IsNullOrEmpty(options.PatientKeySecret) && options.PatientKeySecret.Length < 16)
        {
            failures.Add("Storage:PatientKeySecret must be at least 16 characters.");
        }

        if (options.RetentionInterval <= TimeSpan.Zero)
        {
            failures.Add("Storage:RetentionInterval must be positive.");
        }

        if (options.AuditBatchLinger < TimeSpan.Zero || options.AuditBatchLinger > TimeSpan.FromSeconds(1))
        {
            failures.Add("Storage:AuditBatchLinger must be between 00:00:00 and 00:00:01.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
