using System.Text;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KetamineCds.Api.Tests.EndToEnd;

/// <summary>
/// The real service with real engine and FHIR access for clinical end-to-end runs: the clock reads
/// <see cref="Now"/> (the date the examples were written for), EHR authentication is off (it is tested on its
/// own), and the FHIR servers given are allow-listed for the (only) configured EHR.
/// </summary>
public sealed class ClinicalHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private ClinicalHost(CdsApiFactory factory)
    {
        Factory = factory;
        Client = factory.CreateClient();
    }

    public CdsApiFactory Factory { get; }

    public HttpClient Client { get; }

    public static ClinicalHost Start(params string[] allowedFhirServers)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:RequireAuthentication"] = "false",
            ["CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment"] = "true",
            ["CdsHooks:Clients:0:Name"] = "Example EHR",
            ["CdsHooks:Clients:0:Issuer"] = "https://ehr.example.org",
            ["CdsHooks:Clients:0:JwksUrl"] = "https://ehr.example.org/jwks.json",
            ["Fhir:TotalTimeout"] = "00:00:01.500",
            ["Fhir:AttemptTimeout"] = "00:00:00.400",
            ["Fhir:RetryBaseDelay"] = "00:00:00.010",
        };
        for (var i = 0; i < allowedFhirServers.Length; i++)
        {
            settings[$"CdsHooks:Clients:0:AllowedFhirServers:{i}"] = allowedFhirServers[i];
        }

        return new ClinicalHost(new CdsApiFactory(settings, services => services.AddSingleton<TimeProvider>(new ShiftedTimeProvider(Now))));
    }

    public static string PathFor(string hook) => hook switch
    {
        "patient-view" => "/cds-services/ketamine-trd-screening",
        "order-select" => "/cds-services/ketamine-order-select",
        "order-sign" => "/cds-services/ketamine-order-sign",
        _ => throw new ArgumentOutOfRangeException(nameof(hook), hook, null),
    };

    public async Task<(int Status, string Body)> CallAsync(JsonObject request, CancellationToken cancellationToken)
    {
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync(PathFor((string)request["hook"]!), content, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Posts raw bytes (they need not be JSON) to the hook's service.</summary>
    public async Task<(int Status, string Body)> CallRawAsync(string hook, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await Client.PostAsync(PathFor(hook), content, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
