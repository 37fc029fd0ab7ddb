using KetamineCds.Fhir.Diagnostics;
using KetamineCds.Storage;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace KetamineCds.Api.Diagnostics;

public static class TelemetryExtensions
{
    /// <summary>
    /// Section <c>OpenTelemetry</c> and, only when it asks for an exporter (OTLP <c>Endpoint</c> or <c>Console</c>), the
    /// OpenTelemetry SDK: meters <c>KetamineCds</c>, <c>KetamineCds.Storage</c>, <c>KetamineCds.Fhir</c>, ASP.NET Core's
    /// and HttpClient's; spans of the <c>KetamineCds</c> source and ASP.NET Core's server spans. Without an exporter
    /// no listener is registered and the instruments cost one check per call.
    /// </summary>
    public static WebApplicationBuilder AddKetamineCdsTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<HttpStatusMetrics>();
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.ExportEnabled)
        {
            return builder;
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CdsMetrics.MeterName, StorageMetrics.MeterName, FhirTelemetry.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (options.Console)
                {
                    metrics.AddConsoleExporter();
                }
            })
            .WithTracing(tracing =>
            {
                // HttpClient spans are left out: the runtime's url.full carries the path, and a Patient/{id} read has the
                // patient id in it. Each FHIR request has its own span (source KetamineCds) tagged with the authority only.
                tracing.AddSource(CdsTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.RecordException = false);
                if (options.Console)
                {
                    tracing.AddConsoleExporter();
                }
            });
        if (options.Endpoint is { } endpoint)
        {
            otel.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, endpoint);
        }

        return builder;
    }

    /// <summary>Counts every answer on <c>/cds-services</c> by route and status (outermost, so it sees 401, 429, 500, 503 as sent).</summary>
    public static WebApplication UseKetamineCdsTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<HttpStatusMiddleware>();
        return app;
    }
}
