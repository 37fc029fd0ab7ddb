using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace KetamineCds.Api.Tests.Logging;

/// <summary>
/// The real host in Production whose log capture obeys the configured levels (appsettings.json's Logging section plus
/// <paramref name="settings"/>), unlike <see cref="CdsApiFactory"/> which captures everything at Debug.
/// </summary>
internal sealed class ConfiguredLevelsHost(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public LogCapture Logs { get; } = new();

    /// <summary>Entries at Information or above.</summary>
    public List<CapturedLog> Written => [.. Logs.Entries.Where(e => e.Level >= LogLevel.Information)];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        settings.TryAdd("Storage:PatientKeySecret", "log-test-patient-key-secret");
        settings.TryAdd("Storage:DataDirectory", Path.Combine(Path.GetTempPath(), "ketaminecds-tests", Guid.NewGuid().ToString("N")));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
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
