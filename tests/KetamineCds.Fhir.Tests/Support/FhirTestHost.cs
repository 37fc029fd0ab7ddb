using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace KetamineCds.Fhir.Tests.Support;

/// <summary>The real registration (<c>AddKetamineCdsFhir</c>) over in-memory configuration with short test timeouts, plus captured logs.</summary>
internal sealed class FhirTestHost : IAsyncDisposable
{
    /// <summary>
    /// Test defaults: generous timeouts (2 s per attempt, 5 s per hook call) so a cold JIT on a loaded machine never
    /// triggers a retry in tests that are not about timing; 10 ms back-off base; 2 retries. Timing tests use <see cref="Fast"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>
    {
        ["Fhir:AttemptTimeout"] = "00:00:02",
        ["Fhir:TotalTimeout"] = "00:00:05",
        ["Fhir:RetryBaseDelay"] = "00:00:00.010",
        ["Fhir:MaxRetries"] = "2",
    };

    /// <summary>Short timeouts for timing tests: 200 ms per attempt, 1 s per hook call.</summary>
    public static IReadOnlyDictionary<string, string?> Fast { get; } = new Dictionary<string, string?>
    {
        ["Fhir:AttemptTimeout"] = "00:00:00.200",
        ["Fhir:TotalTimeout"] = "00:00:01",
    };

    private readonly ServiceProvider _services;

    private FhirTestHost(ServiceProvider services)
    {
        _services = services;
        Provider = services.GetRequiredService<IPatientDataProvider>();
        Logs = services.GetFakeLogCollector();
    }

    public IPatientDataProvider Provider { get; }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _services;

    public static FhirTestHost Create(IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null)
        => new(Build(overrides, configure));

    /// <summary>A host with the shipped <see cref="FhirOptions"/> defaults (no test overrides at all).</summary>
    public static FhirTestHost CreateWithProductDefaults() => new(Build(null, null, useTestDefaults: false));

    /// <summary>Builds the container and runs the start-up validation the host would run.</summary>
    public static ServiceProvider Build(
        IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null, bool useTestDefaults = true)
    {
        var settings = useTestDefaults ? new Dictionary<string, string?>(Defaults) : [];
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug));
        services.AddFakeLogging();
        services.AddKetamineCdsFhir();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    public Task<PatientDataResult> GetAsync(HookDataRequest request)
        => Provider.GetPatientDataAsync(request, TestContext.Current.CancellationToken);

    public IReadOnlyList<FakeLogRecord> LogsWithEventId(int eventId)
        => Logs.GetSnapshot().Where(r => r.Id.Id == eventId).ToList();

    /// <summary>All captured log lines, for failure messages.</summary>
    public string LogText() => string.Join('\n', Logs.GetSnapshot().Select(r => $"{r.Id.Id} {r.Level} {r.Message}"));

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
