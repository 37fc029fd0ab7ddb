using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace KetamineCds.BrowserTests;

/// <summary>
/// The real service on real Kestrel (loopback, a free port of 24000-24999), Production environment with EHR JWT
/// authentication on and the demo enabled: the demo's hook calls go over HTTP, signed with its generated key.
/// </summary>
public sealed class DemoServer : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    private readonly IReadOnlyDictionary<string, string?> _extraSettings;

    public DemoServer() : this(demoEnabled: true)
    {
    }

    private DemoServer(bool demoEnabled, string? dataDirectory = null, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        DemoEnabled = demoEnabled;
        Port = FreePort();
        BaseUrl = $"http://127.0.0.1:{Port}";
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "ketaminecds-browser-tests", Guid.NewGuid().ToString("N"));
        _extraSettings = extraSettings ?? new Dictionary<string, string?>();
    }

    /// <summary>The SQLite storage folder (a fresh temporary one unless given).</summary>
    public string DataDirectory { get; }

    public bool DemoEnabled { get; }

    public int Port { get; }

    public string BaseUrl { get; }

    public HttpClient Http { get; } = new();

    public static DemoServer WithDemoDisabled() => new(demoEnabled: false);

    /// <summary>The demo server with more settings (e.g. an admin key, another EHR client) and a given storage folder.</summary>
    public static DemoServer With(string dataDirectory, IReadOnlyDictionary<string, string?> settings) => new(demoEnabled: true, dataDirectory, settings);

    public ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:PublicBaseUrl"] = BaseUrl,
            ["CdsHooks:RequireAuthentication"] = "true",
            ["Demo:Enabled"] = DemoEnabled ? "true" : "false",
            ["Storage:PatientKeySecret"] = "browser-test-patient-key-secret",
            ["Storage:DataDirectory"] = DataDirectory,
            // These tests check pages, not the FHIR time budget (tested with a fake clock in the Fhir and Api tests). CI
            // runs every test project at once on two cores, where the demo FHIR server's first answers took over the
            // 2 s default (a CI run on 2026-12-07: all 8 reads of the SMART app's first page, after a 5 s warm-up).
            ["Fhir:TotalTimeout"] = "00:00:30",
            ["Fhir:AttemptTimeout"] = "00:00:20",
        };
        foreach (var (key, value) in _extraSettings)
        {
            settings[key] = value;
        }

        _factory = new ConfiguredFactory(settings);
        _factory.UseKestrel(Port);
        _factory.StartServer();
        Http.BaseAddress = new Uri(BaseUrl);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        var start = 24000 + Random.Shared.Next(0, 900);
        for (var port = start; port < 25000; port++)
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free port in 24000-24999.");
    }

    private sealed class ConfiguredFactory(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        }
    }
}
