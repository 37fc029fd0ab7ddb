using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KetamineCds.Api.Tests.Infrastructure;

/// <summary>
/// The real host in memory, in the Production environment (no developer exception page), with
/// <c>CdsHooks:PublicBaseUrl=http://localhost</c> plus the given configuration overrides (which win over
/// appsettings.json), and every log message captured in <see cref="Logs"/>.
/// </summary>
public sealed class CdsApiFactory : WebApplicationFactory<Program>
{
    public const string PublicBaseUrl = "http://localhost";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    /// <param name="settings">Configuration overrides (e.g. <see cref="TestEhr.ClientConfiguration"/>); they win over appsettings.json.</param>
    /// <param name="configureServices">Runs after the host's own registrations (ConfigureTestServices): replace services here.</param>
    public CdsApiFactory(IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["CdsHooks:PublicBaseUrl"] = PublicBaseUrl,
            ["Storage:PatientKeySecret"] = "test-patient-key-secret",
            ["Storage:DataDirectory"] = Path.Combine(Path.GetTempPath(), "ketaminecds-tests", Guid.NewGuid().ToString("N")),
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }

        _configureServices = configureServices;
    }

    /// <summary>Every message logged by the host (Debug and above, all categories).</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>The audience a service call must carry.</summary>
    public static string ServiceAudience(string serviceId) => $"{PublicBaseUrl}/cds-services/{serviceId}";

    /// <summary>The audience a discovery call must carry.</summary>
    public static string DiscoveryAudience => $"{PublicBaseUrl}/cds-services";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            logging.AddFilter<LogCapture>(null, LogLevel.Debug);
        });
        if (_configureServices is not null)
        {
            builder.ConfigureTestServices(_configureServices);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Logs.Dispose();
        }
    }
}
