using System.Net.Http.Headers;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KetamineCds.Benchmarks;

/// <summary>
/// A whole hook call through the ASP.NET Core pipeline (in-memory server, no network): body read and validation,
/// prefetch parsing with the Firely SDK, the engine, card serialization. The example requests of cds-hooks/examples.
/// Authentication is off here (its cost is measured by the security tests' timing notes).
/// </summary>
[MemoryDiagnoser]
public class HookCallBenchmarks
{
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;
    private byte[] _patientView = [];
    private byte[] _orderSign = [];

    [GlobalSetup]
    public void Setup()
    {
        var root = typeof(HookCallBenchmarks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        _patientView = File.ReadAllBytes(Path.Combine(root, "cds-hooks", "examples", "patient-view-trd.request.json"));
        _orderSign = File.ReadAllBytes(Path.Combine(root, "cds-hooks", "examples", "order-sign-esketamine.request.json"));
        // The factory looks for the host's content root next to a solution file; point it at the source folder.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_KETAMINECDS_API", Path.Combine(root, "src", "KetamineCds.Api"));
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("CdsHooks:PublicBaseUrl", "http://localhost");
            b.UseSetting("CdsHooks:RequireAuthentication", "false");
            b.UseSetting("CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment", "true");
            b.UseSetting("CdsHooks:RateLimitPermits", "1000000");
            b.UseSetting("Storage:PatientKeySecret", "benchmark-patient-key-secret");
            b.UseSetting("Storage:DataDirectory", Path.Combine(Path.GetTempPath(), "ketaminecds-benchmarks", Guid.NewGuid().ToString("N")));
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        _client = _factory.CreateClient();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<int> PatientViewWithPrefetch() => PostAsync("/cds-services/ketamine-trd-screening", _patientView);

    [Benchmark]
    public Task<int> OrderSignEsketamineWithPrefetch() => PostAsync("/cds-services/ketamine-order-sign", _orderSign);

    private async Task<int> PostAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _client.PostAsync(path, content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode ? bytes.Length : throw new InvalidOperationException($"HTTP {(int)response.StatusCode}");
    }
}
