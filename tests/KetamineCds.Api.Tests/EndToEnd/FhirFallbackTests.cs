using KetamineCds.Api.Tests.Infrastructure;
using System.Text.Json;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Endpoints;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace KetamineCds.Api.Tests.EndToEnd;

/// <summary>
/// Prefetch versus fallback through HTTP, with WireMock.Net as the EHR's FHIR server: the same patient gives the
/// same cards either way; what cannot be had gives 412 or a data-unavailable card, never silence.
/// </summary>
public sealed class FhirFallbackTests : IAsyncLifetime
{
    private const string AccessToken = "ehr-access-token-7f3c2a";
    private WireMockServer _fhir = null!;
    private ClinicalHost _host = null!;

    public ValueTask InitializeAsync()
    {
        _fhir = WireMockServer.Start();
        _host = ClinicalHost.Start(_fhir.Url + "/fhir");
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _fhir.Stop();
        _fhir.Dispose();
    }

    [Fact]
    public async Task Same_patient_gives_the_same_cards_through_prefetch_and_through_fallback()
    {
        var withPrefetch = Example("patient-view-trd.request.json");
        var prefetch = withPrefetch["prefetch"]!.AsObject();
        ExampleFhirServer.Serve(_fhir, prefetch, "example-trd-1");

        var withoutPrefetch = Example("patient-view-trd.request.json");
        withoutPrefetch.Remove("prefetch");
        withoutPrefetch["fhirServer"] = _fhir.Url + "/fhir";
        withoutPrefetch["fhirAuthorization"] = Authorization();

        var (statusA, bodyA) = await _host.CallAsync(withPrefetch, TestContext.Current.CancellationToken);
        var (statusB, bodyB) = await _host.CallAsync(withoutPrefetch, TestContext.Current.CancellationToken);

        Assert.Equal(200, statusA);
        Assert.Equal(200, statusB);
        Assert.Contains("trd-candidate", CardJson.Topics(bodyA));
        Assert.True(JsonNode.DeepEquals(CardJson.Normalize(bodyA), CardJson.Normalize(bodyB)), $"prefetch:\n{bodyA}\nfallback:\n{bodyB}");

        foreach (var type in new[] { "Patient", "Condition", "MedicationRequest", "MedicationStatement", "MedicationDispense", "Observation", "AllergyIntolerance", "Procedure" })
        {
            var hits = _fhir.LogEntries.Where(e => e.RequestMessage.Path.StartsWith("/fhir/" + type, StringComparison.Ordinal)).ToList();
            Assert.True(hits.Count > 0, $"no {type} query reached the FHIR server");
            Assert.All(hits, h => Assert.Equal("Bearer " + AccessToken, h.RequestMessage.Headers!["Authorization"].Single()));
        }
    }

    [Fact]
    public async Task Mixed_prefetch_fetches_only_the_missing_keys()
    {
        var request = Example("patient-view-trd.request.json");
        var prefetch = request["prefetch"]!.AsObject();
        ExampleFhirServer.Serve(_fhir, prefetch, "example-trd-1");
        prefetch.Remove("observations");
        prefetch.Remove("medicationStatements");
        request["fhirServer"] = _fhir.Url + "/fhir";
        request["fhirAuthorization"] = Authorization();

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        Assert.Contains("trd-candidate", CardJson.Topics(body));
        var paths = _fhir.LogEntries.Select(e => e.RequestMessage.Path).ToList();
        Assert.Contains("/fhir/Observation", paths);
        Assert.Contains("/fhir/MedicationStatement", paths);
        Assert.DoesNotContain("/fhir/Condition", paths);
        Assert.DoesNotContain("/fhir/MedicationRequest", paths);
    }

    [Fact]
    public async Task Patient_view_without_prefetch_or_fhirServer_is_412_with_an_OperationOutcome()
    {
        var request = Example("patient-view-trd.request.json");
        request.Remove("prefetch");

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(412, status);
        Assert.Equal("OperationOutcome", JsonNode.Parse(body)!["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ketamine_order_without_any_data_gets_a_data_unavailable_card()
    {
        var request = Example("order-sign-no-data.request.json");

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        var card = JsonNode.Parse(body)!["cards"]!.AsArray().Single(c => (string)c!["source"]!["topic"]!["code"]! == "data-unavailable")!;
        Assert.Equal("warning", (string)card["indicator"]!);
        Assert.Contains("contraindication", (string)card["detail"]!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Ketamine_order_with_the_FHIR_server_failing_gets_a_data_unavailable_card()
    {
        _fhir.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(503));
        var request = Example("order-sign-no-data.request.json");
        request["fhirServer"] = _fhir.Url + "/fhir";
        request["fhirAuthorization"] = Authorization();
        var started = TimeProvider.System.GetTimestamp();

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        Assert.Contains("data-unavailable", CardJson.Topics(body));
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
        Assert.NotEmpty(_fhir.LogEntries);
    }

    [Fact]
    public async Task Order_without_ketamine_or_interacting_drugs_reads_no_patient_data()
    {
        var request = Example("order-sign-no-data.request.json");
        var draft = Requests.MedicationRequest("rx-amox", "723", "amoxicillin 500 MG Oral Capsule");
        request["context"]!["draftOrders"] = Requests.Bundle(draft);
        request["fhirServer"] = _fhir.Url + "/fhir";
        request["fhirAuthorization"] = Authorization();

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        Assert.Equal("""{"cards":[]}""", body);
        Assert.Empty(_fhir.LogEntries);
    }

    [Fact]
    public async Task A_fhirServer_that_is_not_allow_listed_is_never_called()
    {
        using var other = WireMockServer.Start();
        var request = Example("patient-view-trd.request.json");
        request.Remove("prefetch");
        request["fhirServer"] = other.Url + "/fhir";
        request["fhirAuthorization"] = Authorization();

        var (status, _) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(412, status);
        Assert.Empty(other.LogEntries);
    }

    [Fact]
    public async Task Fhir_server_without_fhirAuthorization_is_never_called_and_the_call_gets_412()
    {
        var request = Example("patient-view-trd.request.json");
        ExampleFhirServer.Serve(_fhir, request["prefetch"]!.AsObject(), "example-trd-1");
        request.Remove("prefetch");
        request["fhirServer"] = _fhir.Url + "/fhir";

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(412, status);
        Assert.Contains("OperationOutcome", body, StringComparison.Ordinal);
        Assert.Empty(_fhir.LogEntries);
    }

    [Fact]
    public async Task Prefetched_conditions_of_another_patient_are_fetched_for_the_hook_patient_instead()
    {
        var request = Example("patient-view-trd.request.json");
        var prefetch = request["prefetch"]!.AsObject();
        ExampleFhirServer.Serve(_fhir, prefetch, "example-trd-1");
        var expected = (await _host.CallAsync(request, TestContext.Current.CancellationToken)).Body;
        var foreign = JsonNode.Parse(prefetch["conditions"]!.ToJsonString())!;
        foreach (var entry in foreign["entry"]!.AsArray())
        {
            entry!["resource"]!["subject"] = new JsonObject { ["reference"] = "Patient/someone-else" };
        }

        prefetch["conditions"] = foreign;
        request["fhirServer"] = _fhir.Url + "/fhir";

        // Warm the stub EHR up (its first answer, JIT included, can exceed the 400 ms attempt timeout on a busy machine).
        using (var warmUp = new HttpClient())
        {
            using var _ = await warmUp.GetAsync(new Uri(_fhir.Url + "/fhir/Condition?patient=example-trd-1"), TestContext.Current.CancellationToken);
        }

        _fhir.ResetLogEntries();
        request["fhirAuthorization"] = Authorization();

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        Assert.Contains("trd-candidate", CardJson.Topics(body));
        Assert.True(JsonNode.DeepEquals(CardJson.Normalize(expected), CardJson.Normalize(body)), body);
        Assert.Equal(["/fhir/Condition"], _fhir.LogEntries.Select(e => e.RequestMessage.Path).Distinct());
    }

    [Fact]
    public async Task A_blood_pressure_panel_coded_as_Synthea_codes_it_is_requested_and_its_reading_counts()
    {
        // Synthea (and EHRs holding its data) codes the panel LOINC 55284-4, with the same systolic and diastolic
        // components. A code search does not match components: the query must ask for the panel's own code.
        var request = Example("order-sign-esketamine.request.json");
        var served = request["prefetch"]!.DeepClone().AsObject();
        foreach (var entry in served["observations"]!["entry"]!.AsArray())
        {
            foreach (var coding in entry!["resource"]!["code"]!["coding"]!.AsArray())
            {
                if ((string?)coding!["code"] == "85354-9")
                {
                    coding["code"] = "55284-4";
                    coding["display"] = "Blood Pressure"; // as Synthea displays it
                }
            }
        }

        ExampleFhirServer.Serve(_fhir, served, "example-trd-2");
        request["prefetch"]!.AsObject().Remove("observations");
        request["fhirServer"] = _fhir.Url + "/fhir";
        request["fhirAuthorization"] = Authorization();

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, status);
        Assert.Contains(_fhir.LogEntries, e => e.RequestMessage.Path == "/fhir/Observation"
            && Uri.UnescapeDataString(e.RequestMessage.Url).Contains("code=http://loinc.org|11378-7", StringComparison.Ordinal)
            && Uri.UnescapeDataString(e.RequestMessage.Url).Contains("http://loinc.org|55284-4", StringComparison.Ordinal));
        Assert.Contains("Blood pressure: latest 152/95 mmHg on 2026-11-24", body, StringComparison.Ordinal);
    }

    private static JsonObject Example(string file) => JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", file))!.AsObject();

    private static JsonObject Authorization() => new()
    {
        ["access_token"] = AccessToken,
        ["token_type"] = "Bearer",
        ["expires_in"] = 300,
        ["scope"] = "user/Patient.read user/Condition.read user/MedicationRequest.read user/Observation.read",
        ["subject"] = "ketamine-cds",
    };
}
