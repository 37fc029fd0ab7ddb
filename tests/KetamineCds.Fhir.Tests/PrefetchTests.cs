using System.Text.Json;
using KetamineCds.Core.Model;
using KetamineCds.Fhir.Prefetch;
using KetamineCds.Fhir.Tests.Support;
using WireMock;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace KetamineCds.Fhir.Tests;

/// <summary>CDS Hooks 2.0 prefetch semantics: given, absent, null, OperationOutcome, unreadable, mixed.</summary>
public sealed class PrefetchTests : IAsyncLifetime
{
    private Ehr _ehr = null!;
    private FhirTestHost _host = null!;

    public ValueTask InitializeAsync()
    {
        _ehr = Ehr.Start();
        _host = FhirTestHost.Create();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _ehr.DisposeAsync();
    }

    [Fact]
    public async Task Complete_prefetch_is_used_and_the_fhir_server_is_not_called()
    {
        _ehr.ServeAll();

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, TestPatient.Prefetch()));

        Assert.Empty(result.Unavailable);
        Assert.Empty(result.FetchedFromFhirServer);
        Assert.Equal(0, result.FhirRequests);
        Assert.Empty(_ehr.Requests);
        Assert.Equal(TestPatient.Id, result.Record.Patient?.Id);
        Assert.Equal(["c1", "c2"], result.Record.Conditions.Select(c => c.Id));
        Assert.Equal(["o1", "o2"], result.Record.Observations.Select(o => o.Id));
        Assert.Single(result.Record.MedicationRequests);
        Assert.Single(result.Record.MedicationStatements);
        Assert.Single(result.Record.MedicationDispenses);
        Assert.Single(result.Record.Allergies);
        Assert.Single(result.Record.Procedures);
        Assert.True(result.Record.Medications.ContainsKey("Medication/med1"));
        Assert.True(result.Record.Medications.ContainsKey("https://ehr.test/fhir/Medication/med1"));
    }

    [Fact]
    public async Task Absent_prefetch_member_runs_every_template_with_the_patient_token_and_page_size()
    {
        _ehr.ServeAll();

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null));

        Assert.Empty(result.Unavailable);
        Assert.Equal(TestPatient.AllKinds, result.FetchedFromFhirServer);
        Assert.Equal(8, result.FhirRequests);
        var requests = _ehr.Requests;
        Assert.Equal(8, requests.Count);
        Assert.Equal(
            PrefetchTemplates.All.Select(t => Ehr.PathFor(t.Key)).Order(StringComparer.Ordinal),
            requests.Select(r => r.RequestMessage.Path).Order(StringComparer.Ordinal));
        var read = Assert.Single(requests, r => r.RequestMessage.Path == "/fhir/Patient/pat-1");
        Assert.Null(Ehr.Query(read, "_count"));
        Assert.All(requests.Where(r => r != read), r =>
        {
            Assert.Equal(TestPatient.Id, Ehr.Query(r, "patient"));
            Assert.Equal("100", Ehr.Query(r, "_count"));
        });
        var observationQuery = Assert.Single(requests, r => r.RequestMessage.Path == "/fhir/Observation");
        Assert.Equal("-date", Ehr.Query(observationQuery, "_sort"));
        Assert.Contains("44261-6", Uri.UnescapeDataString(observationQuery.RequestMessage.RawQuery ?? ""), StringComparison.Ordinal);
        Assert.Equal(["c1", "c2"], result.Record.Conditions.Select(c => c.Id));
    }

    [Fact]
    public async Task Null_value_means_no_data_and_is_not_queried()
    {
        _ehr.ServeAll();
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"] = TestPatient.Element("null");
        prefetch["patient"] = TestPatient.Element("null");

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch));

        Assert.Empty(result.Unavailable);
        Assert.Empty(result.Record.Conditions);
        Assert.Null(result.Record.Patient);
        Assert.Empty(_ehr.Requests);
    }

    [Fact]
    public async Task Absent_key_is_fetched_while_given_keys_are_used_as_is()
    {
        _ehr.ServeAll();
        var prefetch = TestPatient.Prefetch("patient", "conditions", "allergies");

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch));

        Assert.Empty(result.Unavailable);
        Assert.Equal(5, result.FhirRequests);
        Assert.Equal(
            new HashSet<PatientDataKind>
            {
                PatientDataKind.MedicationRequests, PatientDataKind.MedicationStatements, PatientDataKind.MedicationDispenses,
                PatientDataKind.Observations, PatientDataKind.Procedures,
            },
            result.FetchedFromFhirServer);
        Assert.Empty(_ehr.RequestsTo("/fhir/Patient/pat-1"));
        Assert.Empty(_ehr.RequestsTo("/fhir/Condition"));
        Assert.Empty(_ehr.RequestsTo("/fhir/AllergyIntolerance"));
        Assert.Single(_ehr.RequestsTo("/fhir/Observation"));
        Assert.Equal(["o1", "o2"], result.Record.Observations.Select(o => o.Id));
    }

    [Fact]
    public async Task OperationOutcome_value_is_queried_instead()
    {
        _ehr.ServeAll();
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"] = TestPatient.Element("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout"}]}""");

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch));

        Assert.Empty(result.Unavailable);
        Assert.Equal([PatientDataKind.Conditions], result.FetchedFromFhirServer);
        Assert.Single(_ehr.Requests);
        Assert.Single(_ehr.RequestsTo("/fhir/Condition"));
        Assert.Equal(["c1", "c2"], result.Record.Conditions.Select(c => c.Id));
        Assert.Single(_host.LogsWithEventId(2003));
    }

    [Fact]
    public async Task Bundle_holding_an_OperationOutcome_is_queried_instead_and_its_partial_entries_dropped()
    {
        _ehr.ServeAll();
        var prefetch = TestPatient.Prefetch();
        prefetch["observations"] = TestPatient.Element("""
            {"resourceType":"Bundle","type":"searchset","entry":[
              {"resource":{"resourceType":"Observation","id":"partial","status":"final","code":{"text":"x"}}},
              {"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"too-costly"}]},"search":{"mode":"outcome"}}]}
            """);

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch));

        Assert.Empty(result.Unavailable);
        Assert.Single(_ehr.RequestsTo("/fhir/Observation"));
        Assert.Equal(["o1", "o2"], result.Record.Observations.Select(o => o.Id));
    }

    [Theory]
    [InlineData("information", false)]
    [InlineData("warning", false)]
    [InlineData("error", true)]
    [InlineData("fatal", true)]
    public async Task Prefetched_searchset_with_an_outcome_entry_is_refetched_only_for_errors_as_server_responses_are(string severity, bool refetched)
    {
        _ehr.ServeAll();
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"] = TestPatient.Element($$$$"""
            {"resourceType":"Bundle","type":"searchset","entry":[
              {"resource":{"resourceType":"Condition","id":"c9","subject":{"reference":"Patient/pat-1"}}},
              {"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"{{{{severity}}}}","code":"informational"}]},"search":{"mode":"outcome"}}]}
            """);

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch));

        Assert.Empty(result.Unavailable);
        Assert.Equal(refetched ? 1 : 0, _ehr.RequestsTo("/fhir/Condition").Count);
        Assert.Equal(refetched ? ["c1", "c2"] : ["c9"], result.Record.Conditions.Select(c => c.Id));
    }

    [Fact]
    public async Task OperationOutcome_value_without_a_fhir_server_is_unavailable()
    {
        var prefetch = TestPatient.Prefetch();
        prefetch["medicationRequests"] = TestPatient.Element("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception"}]}""");

        var result = await _host.GetAsync(TestPatient.Request(fhirServer: null, prefetch));

        Assert.Equal([PatientDataKind.MedicationRequests], result.Unavailable);
        Assert.Equal(0, result.FhirRequests);
        Assert.Single(_host.LogsWithEventId(2006));
    }

    [Fact]
    public async Task Broken_observation_in_prefetch_is_skipped_and_counted_the_others_kept()
    {
        var prefetch = TestPatient.Prefetch();
        prefetch["observations"] = TestPatient.Element("""
            {"resourceType":"Bundle","type":"searchset","entry":[
              {"resource":{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"}}},
              {"resource":{"resourceType":"Observation","id":"bad","status":"final","code":{"text":"x"},"valueQuantity":{"value":1},"valueString":"dup"}},
              {"resource":{"resourceType":"Observation","id":"o3","status":"final","code":{"text":"x"},"bogusElement":true,"effectiveDateTime":"not-a-date"}}]}
            """);

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch));

        Assert.Empty(result.Unavailable);
        Assert.Equal(1, result.SkippedResources);
        Assert.Equal(["o1", "o3"], result.Record.Observations.Select(o => o.Id));
        Assert.Empty(_ehr.Requests);
        var skippedLog = Assert.Single(_host.LogsWithEventId(2015));
        Assert.DoesNotContain("dup", skippedLog.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_value_is_counted_and_queried_instead()
    {
        _ehr.ServeAll();
        var prefetch = TestPatient.Prefetch();
        prefetch["procedures"] = TestPatient.Element("\"not a resource\"");

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch));

        Assert.Empty(result.Unavailable);
        Assert.Equal(1, result.SkippedResources);
        Assert.Single(_ehr.RequestsTo("/fhir/Procedure"));
        Assert.Single(result.Record.Procedures);
    }

    [Fact]
    public async Task No_prefetch_and_no_fhir_server_makes_everything_unavailable_without_throwing()
    {
        var result = await _host.GetAsync(TestPatient.Request(fhirServer: null, prefetch: null));

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.Equal(0, result.FhirRequests);
        Assert.Null(result.Record.Patient);
    }

    [Fact]
    public async Task Template_whose_token_has_no_value_is_not_run()
    {
        _ehr.ServeAll();
        var tokens = new Dictionary<string, string> { ["context.userId"] = "Practitioner/dr-1" };
        var prefetch = TestPatient.Prefetch("patient", "conditions", "medicationRequests", "medicationStatements", "medicationDispenses", "allergies", "procedures");

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch, tokens: tokens));

        Assert.Equal([PatientDataKind.Observations], result.Unavailable);
        Assert.Empty(_ehr.Requests);
        Assert.Contains("context.patientId", Assert.Single(_host.LogsWithEventId(2008)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_the_service_does_not_know_are_ignored()
    {
        var prefetch = TestPatient.Prefetch();
        prefetch["somethingElse"] = TestPatient.Element("""{"resourceType":"Patient","id":"intruder"}""");

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch));

        Assert.Equal(TestPatient.Id, result.Record.Patient?.Id);
        Assert.Empty(result.Unavailable);
    }

    [Fact]
    public async Task Fallback_fetches_run_in_parallel()
    {
        // The server answers no query until all eight are in flight at once. Fetched one after another, the first query
        // would wait past the call's budget and its kind would be unavailable.
        var waiting = 0;
        var allInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = TestPatient.Json(TestPatient.Searchset());
        _ehr.ServeEveryKey(() => Response.Create().WithCallback(async _ =>
        {
            if (Interlocked.Increment(ref waiting) == 8)
            {
                allInFlight.TrySetResult();
            }

            await Task.WhenAny(allInFlight.Task, Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
            return new ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = new(Ehr.FhirContentType) },
                BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = System.Text.Encoding.UTF8 },
            };
        }));

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null));

        Assert.True(allInFlight.Task.IsCompletedSuccessfully, $"{waiting} queries were in flight at once");
        Assert.Empty(result.Unavailable);
        Assert.Equal(8, result.FhirRequests);
    }

    [Fact]
    public async Task A_value_that_is_not_a_resource_counts_as_unreadable_and_is_queried()
    {
        _ehr.ServeAll();
        var prefetch = TestPatient.Prefetch();
        prefetch["allergies"] = TestPatient.Element("\"AllergyIntolerance?patient=123\"");

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch));

        Assert.Empty(result.Unavailable);
        Assert.Single(_ehr.RequestsTo("/fhir/AllergyIntolerance"));
    }
}
