using System.Net;
using KetamineCds.Fhir.Data;
using KetamineCds.Fhir.Diagnostics;
using KetamineCds.Fhir.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace KetamineCds.Fhir;

public static class FhirServiceCollectionExtensions
{
    /// <summary>Service key of the <see cref="IPatientDataProvider"/> that logs nothing (warm-up).</summary>
    public const string SilentProviderKey = "silent";

    /// <summary>
    /// Registers <see cref="IPatientDataProvider"/> (singleton), the named HTTP client <c>fhir</c> with the standard
    /// resilience handler configured by <see cref="FhirResilience.Apply"/> (one pipeline, hence one circuit breaker, per
    /// EHR authority), and <see cref="FhirOptions"/> bound to configuration section <c>Fhir</c> and validated at start.
    /// Needs <c>IConfiguration</c> in the container (the host has it). Uses <see cref="TimeProvider.System"/> unless a
    /// <see cref="TimeProvider"/> is registered.
    /// </summary>
    public static IServiceCollection AddKetamineCdsFhir(this IServiceCollection services)
    {
        services.AddOptions<FhirOptions>().BindConfiguration(FhirOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FhirOptions>, FhirOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(FhirHttpClient.Name, static (sp, client) =>
            {
                // Backstop only: the resilience pipeline and the per-call budget end requests long before this.
                client.Timeout = sp.GetRequiredService<IOptions<FhirOptions>>().Value.TotalTimeout + TimeSpan.FromSeconds(5);
                client.MaxResponseContentBufferSize = FhirHttpClient.MaxResponseBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                // A redirect could lead away from the allow-listed server; cookies must not travel between EHRs or patients.
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            // The factory's own request logging writes request paths, and Patient/{id} reads carry the patient id.
            // Our [LoggerMessage]s (EventIds 2xxx) say what matters without it.
            .RemoveAllLoggers()
            .AddStandardResilienceHandler()
            .Configure(static (HttpStandardResilienceOptions o, IServiceProvider sp)
                => FhirResilience.Apply(o, sp.GetRequiredService<IOptions<FhirOptions>>().Value))
            .SelectPipelineByAuthority();

        services.Configure<Polly.Telemetry.TelemetryOptions>(static o => o.SeverityProvider = FhirResilience.Severity);
        services.AddMetrics();
        services.TryAddSingleton<FhirTelemetry>();
        services.TryAddSingleton<FhirHttpClient>();
        services.TryAddSingleton<IPatientDataProvider, PatientDataProvider>();

        // The same provider without logging, for in-process warm-up calls that must not read as traffic in the logs.
        services.TryAddKeyedSingleton<IPatientDataProvider>(SilentProviderKey, static (sp, _) => new PatientDataProvider(
            sp.GetRequiredService<FhirHttpClient>(),
            sp.GetRequiredService<IOptionsMonitor<FhirOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<PatientDataProvider>.Instance));
        return services;
    }
}
