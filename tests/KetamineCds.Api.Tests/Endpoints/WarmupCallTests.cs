using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Fhir;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>
/// The warm-up's calls of the hook endpoint read patient data from the prefetch only: a FHIR server in the request is
/// never called (WireMock.Net as the EHR's server), where the same request to the service's provider does call it.
/// </summary>
public sealed class WarmupCallTests
{
    [Fact]
    public async Task A_warm_up_call_never_calls_the_FHIR_server_of_its_request()
    {
        var ct = TestContext.Current.CancellationToken;
        using var fhir = WireMockServer.Start();
        fhir.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json")
                .WithBody("""{"resourceType":"Bundle","type":"searchset","entry":[]}"""));
        await using var factory = new CdsApiFactory();
        var data = factory.Services.GetRequiredService<IPatientDataProvider>();
        var server = new Uri(fhir.Url + "/fhir/");
        var request = new HookDataRequest
        {
            HookInstance = "warm-up-call-test",
            PrefetchTokens = new Dictionary<string, string>(StringComparer.Ordinal) { ["context.patientId"] = "pat-1" },
            FhirServer = server,
            AccessToken = "token-of-the-request",
            AllowedFhirServers = [server],
        };

        var warmup = await new WarmupCall(data).Data.GetPatientDataAsync(request, ct);
        Assert.Equal(0, warmup.FhirRequests);
        Assert.Empty(fhir.LogEntries);

        var real = await data.GetPatientDataAsync(request, ct);
        Assert.True(real.FhirRequests > 0);
        Assert.NotEmpty(fhir.LogEntries);
    }
}
