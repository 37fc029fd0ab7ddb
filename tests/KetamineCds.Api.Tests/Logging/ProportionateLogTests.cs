using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Endpoints;
using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace KetamineCds.Api.Tests.Logging;

/// <summary>At the shipped log levels a hook call writes one line, and ordinary FHIR retries write none.</summary>
public sealed class ProportionateLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_hook_call_writes_exactly_one_line_at_the_default_levels()
    {
        await using var ehr = TestEhr.Start();
        var settings = new Dictionary<string, string?>(ehr.ClientConfiguration()) { ["CdsHooks:PublicBaseUrl"] = CdsApiFactory.PublicBaseUrl };
        await using var host = new ConfiguredLevelsHost(settings);
        using var client = host.CreateClient();
        await WaitUntilWarmAsync(client); // the warm-up's own summary line must not land among the call's lines
        var body = RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json");

        using var warmUp = await CallAsync(client, ehr, body); // fetches the EHR's JWKS once (logged once, not per call)
        Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        host.Logs.Clear();
        using var response = await CallAsync(client, ehr, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(host.Written);
        Assert.Equal(1001, line.EventId.Id);
        Assert.StartsWith("KetamineCds.", line.Category, StringComparison.Ordinal);
        Assert.Contains(host.Logs.Entries, e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || e.Category.StartsWith("System.Net.Http", StringComparison.Ordinal)
            || e.Category.StartsWith("KetamineCds.", StringComparison.Ordinal)); // the capture really saw the call
    }

    /// <summary>
    /// At the shipped levels a retried FHIR request adds no line; with Polly turned up to Information it adds Polly's
    /// per-request summary only: the retry itself is Debug, never a warning with a stack trace.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_FHIR_retry_writes_no_warning_and_no_stack_trace(bool pollyAtInformation)
    {
        using var fhir = WireMockServer.Start();
        var example = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!.AsObject();
        var prefetch = example["prefetch"]!.AsObject();

        // The Patient read fails once with 500, then answers; every other query answers from the example.
        var patientPath = "/fhir/Patient/" + (string)prefetch["patient"]!["id"]!;
        fhir.Given(Request.Create().WithPath(patientPath).UsingGet()).InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(500));
        fhir.Given(Request.Create().WithPath(patientPath).UsingGet()).InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(prefetch["patient"]!.ToJsonString()));
        foreach (var (key, type) in ExampleFhirServer.SearchKinds)
        {
            if (prefetch[key] is { } bundle)
            {
                Serve(fhir, "/fhir/" + type, bundle);
            }
        }

        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:PublicBaseUrl"] = CdsApiFactory.PublicBaseUrl,
            ["CdsHooks:RequireAuthentication"] = "false",
            ["CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment"] = "true",
            ["CdsHooks:Clients:0:Name"] = "Example EHR",
            ["CdsHooks:Clients:0:Issuer"] = "https://ehr.example.org",
            ["CdsHooks:Clients:0:JwksUrl"] = "https://ehr.example.org/jwks.json",
            ["CdsHooks:Clients:0:AllowedFhirServers:0"] = fhir.Url + "/fhir",
            ["Fhir:RetryBaseDelay"] = "00:00:00.001",
        };
        if (pollyAtInformation)
        {
            settings["Logging:LogLevel:Polly"] = "Debug";
        }

        await using var host = new ConfiguredLevelsHost(settings);
        using var client = host.CreateClient();
        await WaitUntilWarmAsync(client);
        var request = example;
        request.Remove("prefetch");
        request["fhirServer"] = fhir.Url + "/fhir";
        request["fhirAuthorization"] = new JsonObject { ["access_token"] = "t", ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/*.read", ["subject"] = "cds" };
        host.Logs.Clear();

        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/cds-services/ketamine-trd-screening", content, Ct);

        Assert.True(HttpStatusCode.OK == response.StatusCode, string.Join("\n", fhir.LogEntries.Select(e => $"{e.RequestMessage.Path} {e.ResponseMessage.StatusCode}")) + host.Logs.AllText());
        // Really retried: a 500, then the 200. WireMock may move the scenario to "recovered" only after a 1 ms retry has
        // already arrived, so a second 500 (and a second retry, within Fhir:MaxRetries) is possible.
        var statuses = fhir.LogEntries.Where(e => e.RequestMessage.Path == patientPath).Select(e => (int)e.ResponseMessage.StatusCode!).ToList();
        Assert.Equal(500, statuses[0]);
        Assert.Equal(200, statuses[^1]);
        Assert.InRange(statuses.Count, 2, 3);
        var written = host.Written;
        Assert.DoesNotContain(written, e => e.Exception is not null || e.Level >= LogLevel.Warning);
        Assert.Equal(1001, Assert.Single(written, e => !e.Category.StartsWith("Polly", StringComparison.Ordinal)).EventId.Id);
        if (pollyAtInformation)
        {
            // Polly did report the retry (so the absence of a warning is the severity mapping, not silence).
            Assert.Contains(host.Logs.Entries, e => e.Category.StartsWith("Polly", StringComparison.Ordinal) && e.Level == LogLevel.Debug && e.Message.Contains("OnRetry", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(1001, Assert.Single(written).EventId.Id);
        }
    }

    /// <summary>Readiness answers once the start-up warm-up has finished (and logged its one summary line).</summary>
    private static async Task WaitUntilWarmAsync(HttpClient client)
    {
        using var ready = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static void Serve(WireMockServer fhir, string path, JsonNode body)
        => fhir.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json").WithBody(body.ToJsonString()));

    private static Task<HttpResponseMessage> CallAsync(HttpClient client, TestEhr ehr, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/cds-services/ketamine-trd-screening")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", ehr.CreateToken(CdsApiFactory.ServiceAudience("ketamine-trd-screening")));
        return client.SendAsync(request, Ct);
    }
}
