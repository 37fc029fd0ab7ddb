using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Core;
using KetamineCds.Core.Engine;
using KetamineCds.Fhir;
using Microsoft.AspNetCore.Diagnostics;
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

        // First: a misspelt key explains the failures that follow from it.
        services.AddOptions<ConfigurationFileCheck>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConfigurationFileCheck>, ConfigurationFileCheckValidator>();
        services.AddOptions<CdsHooksOptions>().BindConfiguration(CdsHooksOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdsHooksOptions>, CdsHooksOptionsValidator>();
        services.AddSingleton<IValidateOptions<CdsHooksOptions>, AuthenticationGuard>();
        services.AddOptions<ClinicalOptions>().BindConfiguration(ClinicalOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClinicalOptions>, ClinicalOptionsValidator>();

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<CdsHooksOptions>>((kestrel, cds) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = cds.Value.MaxRequestBodyBytes + 1;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
        });

        services.ConfigureHttpJsonOptions(o => CdsJson.Configure(o.SerializerOptions));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClinicalEngine>(sp => ClinicalEngineFactory.Create(sp.GetRequiredService<IOptions<ClinicalOptions>>().Value));
        services.AddSingleton<FeedbackRecorder>();
        services.AddMetrics();
        services.AddSingleton<CdsMetrics>();
        services.AddKetamineCdsFhir();

        services.AddSingleton<PipelineWarmup>();
        services.AddSingleton<WarmupCaller>();
        services.AddSingleton<RequestPipelineBuilt>();
        services.AddSingleton<IStartupFilter>(sp => sp.GetRequiredService<RequestPipelineBuilt>());
        services.AddHostedService(sp => sp.GetRequiredService<PipelineWarmup>());
        services.AddHealthChecks().AddCheck<KnowledgeBaseHealthCheck>("clinical-engine", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Every error answer is a short OperationOutcome (<see cref="OperationOutcomes"/>): unhandled exceptions (500, no
    /// internals; a body that arrives too slowly or too large keeps Kestrel's 408/413) and bodiless framework answers
    /// (404, 405, 429, 503 of the timeout middleware). A 401 keeps its empty body and WWW-Authenticate: Bearer (the reason is logged, never told to the caller).
    /// </summary>
    public static WebApplication UseKetamineCdsErrorHandling(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteExceptionAsync, SuppressDiagnosticsCallback = _ => false });
        app.UseStatusCodePages(context =>
            context.HttpContext.Response.StatusCode == StatusCodes.Status401Unauthorized
                ? Task.CompletedTask
                : OperationOutcomes.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode, OperationOutcomes.MessageFor(context.HttpContext.Response.StatusCode)));

        // Build the engine (and load + validate the knowledge base) now: a broken knowledge base stops start-up.
        _ = app.Services.GetRequiredService<IClinicalEngine>();
        return app;
    }

    private static Task WriteExceptionAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = error is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
        return OperationOutcomes.WriteAsync(context, status, OperationOutcomes.MessageFor(status));
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }
}
