using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Core;
using KetamineCds.Core.Engine;
using KetamineCds.Fhir;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Hosting;

public static class KetamineCdsHostingExtensions
{
    /// <summary>Options (validated at start-up), JSON, the clinical engine, FHIR data access, health checks.</summary>
    public static WebApplicationBuilder AddKetamineCds(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<CdsHooksOptions>().BindConfiguration(CdsHooksOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdsHooksOptions>, CdsHooksOptionsValidator>();
        services.AddOptions<ClinicalOptions>().BindConfiguration(ClinicalOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClinicalOptions>, ClinicalOptionsValidator>();

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<CdsHooksOptions>>((kestrel, cds) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = cds.Value.MaxRequestBodyBytes + 1;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
        });

        services.ConfigureHttpJsonOptions(o => CdsJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClinicalEngine>(sp => ClinicalEngineFactory.Create(sp.GetRequiredService<IOptions<ClinicalOptions>>().Value));
        services.AddSingleton<FeedbackRecorder>();
        services.AddMetrics();
        services.AddSingleton<CdsMetrics>();
        services.AddKetamineCdsFhir();

        services.AddSingleton<PipelineWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<PipelineWarmup>());
        services.AddHealthChecks().AddCheck<KnowledgeBaseHealthCheck>("clinical-engine", tags: ["ready"]);
        return builder;
    }

    /// <summary>Errors become ProblemDetails without internals (the developer page only in Development).</summary>
    public static WebApplication UseKetamineCdsErrorHandling(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler();
        }

        app.UseStatusCodePages();

        // Build the engine (and load + validate the knowledge base) now: a broken knowledge base stops start-up.
        _ = app.Services.GetRequiredService<IClinicalEngine>();
        return app;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }
}
