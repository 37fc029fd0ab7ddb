using System.Diagnostics;
using KetamineCds.Core.Model;
using KetamineCds.Fhir.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;

namespace KetamineCds.Fhir.Tests;

/// <summary>The EHR misbehaves: slow, flaky, rate-limited, down, broken bodies. The call stays bounded and never throws.</summary>
public sealed class ResilienceTests : IAsyncLifetime
{
    private static readonly string[] AllButConditions =
        ["patient", "medicationRequests", "medicationStatements", "medicationDispenses", "observations", "allergies", "procedures"];

    private Ehr _ehr = null!;

    public ValueTask InitializeAsync()
    {
        _ehr = Ehr.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _ehr.DisposeAsync();

    private HookDataRequest ConditionsOnly() => TestPatient.Request(_ehr.BaseUrl, TestPatient.Prefetch(AllButConditions));

    private static async Task<(PatientDataResult Result, TimeSpan Elapsed)> TimedAsync(FhirTestHost host, HookDataRequest request)
    {
        var watch = Stopwatch.StartNew();
        var result = await host.GetAsync(request);
        return (result, watch.Elapsed);
    }

    [Fact]
    public async Task Server_that_never_answers_is_cut_at_the_total_budget()
    {
        _ehr.ServeEveryKey(() => Ehr.Fhir(TestPatient.Searchset()).WithDelay(TimeSpan.FromSeconds(4)));
        // Attempts long enough that only the 1 s hook budget can end the call.
        await using var host = FhirTestHost.Create(new Dictionary<string, string?>
        {
            ["Fhir:TotalTimeout"] = "00:00:01",
            ["Fhir:AttemptTimeout"] = "00:00:00.900",
        });

        var (result, elapsed) = await TimedAsync(host, TestPatient.Request(_ehr.BaseUrl, prefetch: null));

        TestContext.Current.SendDiagnosticMessage($"never-answers (budget 1 s): {elapsed.TotalMilliseconds:F0} ms");
        // Nothing arrived (the server would answer after 4 s with data), and the budget is what ended it.
        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.NotEmpty(host.LogsWithEventId(2011));
        // WireMock logs a delayed request only after its delay; wait for them and check what reached the server.
        var requests = await _ehr.WaitForRequestsAsync(8, TimeSpan.FromSeconds(8));
        Assert.True(requests.Count >= 8, $"{requests.Count} requests logged");
        Assert.All(requests, r => Assert.Equal("Bearer " + TestPatient.AccessToken, Ehr.Authorization(r)));
    }

    [Fact]
    public async Task Server_that_never_answers_is_cut_at_the_shipped_two_second_budget()
    {
        _ehr.ServeEveryKey(() => Ehr.Fhir(TestPatient.Searchset()).WithDelay(TimeSpan.FromSeconds(5)));
        await using var host = FhirTestHost.CreateWithProductDefaults(); // 2 s budget, 800 ms attempts, 2 retries

        var (result, elapsed) = await TimedAsync(host, TestPatient.Request(_ehr.BaseUrl, prefetch: null));

        TestContext.Current.SendDiagnosticMessage($"never-answers (shipped defaults, budget 2 s): {elapsed.TotalMilliseconds:F0} ms");
        // Three 800 ms attempts outlast the 2 s budget, which ends the call (the server would answer after 5 s with data).
        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.NotEmpty(host.LogsWithEventId(2011));
    }

    [Fact]
    public async Task Server_that_never_answers_with_short_attempts_gives_up_after_the_retries()
    {
        _ehr.ServeEveryKey(() => Ehr.Fhir(TestPatient.Searchset()).WithDelay(TimeSpan.FromSeconds(3)));
        await using var host = FhirTestHost.Create(new Dictionary<string, string?>
        {
            ["Fhir:TotalTimeout"] = "00:00:20",
            ["Fhir:AttemptTimeout"] = "00:00:00.200",
        });

        var (result, elapsed) = await TimedAsync(host, ConditionsOnly());

        TestContext.Current.SendDiagnosticMessage($"never-answers (3 x 200 ms attempts, budget 20 s): {elapsed.TotalMilliseconds:F0} ms");
        // The retries ended the call, not the budget.
        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Empty(host.LogsWithEventId(2011));
        var requests = await _ehr.WaitForRequestsAsync(3, TimeSpan.FromSeconds(6));
        Assert.Equal(3, requests.Count(r => r.RequestMessage.Path == "/fhir/Condition")); // first attempt + 2 retries
    }

    [Fact]
    public async Task Error_500_then_200_is_retried_and_succeeds()
    {
        _ehr.Server.Given(Ehr.RequestFor("conditions")).InScenario("flaky").WillSetStateTo("failed once")
            .RespondWith(Response.Create().WithStatusCode(500));
        _ehr.Server.Given(Ehr.RequestFor("conditions")).InScenario("flaky").WhenStateIs("failed once")
            .RespondWith(Ehr.Fhir(TestPatient.ValueFor("conditions")));
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(ConditionsOnly());

        Assert.Empty(result.Unavailable);
        Assert.Equal(["c1", "c2"], result.Record.Conditions.Select(c => c.Id));
        Assert.Equal(1, result.FhirRequests);
        var requests = _ehr.RequestsTo("/fhir/Condition");
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("Bearer " + TestPatient.AccessToken, Ehr.Authorization(r)));
    }

    [Fact]
    public async Task Error_429_with_retry_after_waits_as_told_then_succeeds()
    {
        _ehr.Server.Given(Ehr.RequestFor("conditions")).InScenario("limited").WillSetStateTo("told to wait")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        _ehr.Server.Given(Ehr.RequestFor("conditions")).InScenario("limited").WhenStateIs("told to wait")
            .RespondWith(Ehr.Fhir(TestPatient.ValueFor("conditions")));
        await using var host = FhirTestHost.Create(); // 10 ms back-off base: only Retry-After explains a 1 s gap

        var result = await host.GetAsync(ConditionsOnly());

        Assert.Empty(result.Unavailable);
        var requests = _ehr.RequestsTo("/fhir/Condition").OrderBy(r => r.RequestMessage.DateTime).ToList();
        Assert.Equal(2, requests.Count);
        var gap = requests[1].RequestMessage.DateTime - requests[0].RequestMessage.DateTime;
        TestContext.Current.SendDiagnosticMessage($"429 Retry-After: 1 -> retried after {gap.TotalMilliseconds:F0} ms");
        Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"retried after {gap.TotalMilliseconds} ms");
        Assert.All(requests, r =>
        {
            Assert.Equal("Bearer " + TestPatient.AccessToken, Ehr.Authorization(r));
            Assert.Equal(TestPatient.Id, Ehr.Query(r, "patient"));
        });
    }

    [Fact]
    public async Task Retry_after_longer_than_the_budget_ends_at_the_budget()
    {
        _ehr.Serve("conditions", Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30"));
        await using var host = FhirTestHost.Create(new Dictionary<string, string?> { ["Fhir:TotalTimeout"] = "00:00:02", ["Fhir:AttemptTimeout"] = "00:00:01" });

        var result = await host.GetAsync(ConditionsOnly());

        // The budget ended the wait for the retry (Retry-After asked for 30 s; the wait is capped at the budget, so
        // without it a second request would follow), and it is logged as the budget.
        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Single(_ehr.RequestsTo("/fhir/Condition"));
        Assert.Single(host.LogsWithEventId(2011));
        Assert.Empty(host.LogsWithEventId(2010));
    }

    private static Uri ClosedPort()
    {
        var dead = WireMockServer.Start();
        var deadBase = new Uri(dead.Url! + "/fhir");
        dead.Stop();
        dead.Dispose();
        return deadBase;
    }

    [Fact]
    public async Task Closed_port_is_retried_then_reported_unavailable()
    {
        var counter = new AttemptCounter();
        await using var host = FhirTestHost.Create(configure: services => services.AddHttpClient("fhir").AddHttpMessageHandler(() => counter));

        var (result, elapsed) = await TimedAsync(host, TestPatient.Request(ClosedPort(), TestPatient.Prefetch(AllButConditions)));

        TestContext.Current.SendDiagnosticMessage($"closed port, one key: {elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Equal(1, result.FhirRequests);
        Assert.Equal(3, counter.Attempts); // first attempt + 2 retries
        Assert.Contains("(HttpRequestException)", Assert.Single(host.LogsWithEventId(2010)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_port_for_every_key_trips_the_circuit_and_returns_fast()
    {
        await using var host = FhirTestHost.Create();

        var (result, elapsed) = await TimedAsync(host, TestPatient.Request(ClosedPort(), prefetch: null));

        TestContext.Current.SendDiagnosticMessage($"closed port, eight keys: {elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.Equal(8, result.FhirRequests);
        Assert.Empty(host.LogsWithEventId(2011)); // the failures ended the call, not the budget
        var failures = host.LogsWithEventId(2010);
        Assert.Equal(8, failures.Count);
        // 8 parallel keys x 3 attempts against one dead authority open its circuit breaker; keys then fail fast.
        Assert.All(failures, r => Assert.Matches(@"\((HttpRequestException|BrokenCircuitException)\)", r.Message));
    }

    [Fact]
    public async Task Malformed_json_is_counted_and_the_kind_unavailable_others_unaffected()
    {
        _ehr.ServeAll(AllButConditions);
        _ehr.Serve("conditions", Response.Create().WithStatusCode(200).WithHeader("Content-Type", Ehr.FhirContentType)
            .WithBody("""{"resourceType":"Bundle","entry":[{"resource":"""));
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null));

        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Equal(1, result.SkippedResources);
        Assert.Single(_ehr.RequestsTo("/fhir/Condition")); // a 200 is not retried
        Assert.Equal(["o1", "o2"], result.Record.Observations.Select(o => o.Id));
        Assert.Contains("not a readable FHIR resource", Assert.Single(host.LogsWithEventId(2012)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperationOutcome_body_with_200_is_unavailable_and_not_retried()
    {
        _ehr.Serve("conditions", Response.Create().WithStatusCode(200).WithHeader("Content-Type", Ehr.FhirContentType)
            .WithBody("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"forbidden"}]}"""));
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(ConditionsOnly());

        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Single(_ehr.RequestsTo("/fhir/Condition"));
        Assert.Empty(result.Record.Conditions);
    }

    [Fact]
    public async Task OperationOutcome_body_with_500_is_retried_then_unavailable()
    {
        _ehr.Serve("conditions", Response.Create().WithStatusCode(500).WithHeader("Content-Type", Ehr.FhirContentType)
            .WithBody("""{"resourceType":"OperationOutcome","issue":[{"severity":"fatal","code":"exception","diagnostics":"db down"}]}"""));
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(ConditionsOnly());

        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Equal(3, _ehr.RequestsTo("/fhir/Condition").Count);
        var status = Assert.Single(host.LogsWithEventId(2009));
        Assert.Contains("500", status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("db down", host.LogText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error", true)]
    [InlineData("warning", false)]
    public async Task Searchset_with_an_outcome_entry_is_unavailable_only_for_errors(string severity, bool unavailable)
    {
        _ehr.Serve("conditions", Response.Create().WithStatusCode(200).WithHeader("Content-Type", Ehr.FhirContentType).WithBody($$$$"""
            {"resourceType":"Bundle","type":"searchset","entry":[
              {"resource":{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/pat-1"}}},
              {"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"{{{{severity}}}}","code":"processing"}]},"search":{"mode":"outcome"}}]}
            """));
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(ConditionsOnly());

        Assert.Equal(unavailable, result.Unavailable.Contains(PatientDataKind.Conditions));
        Assert.Single(_ehr.RequestsTo("/fhir/Condition"));
    }

    [Fact]
    public async Task Not_found_on_the_patient_read_means_no_data_but_on_a_search_means_unavailable()
    {
        _ehr.Serve("patient", Response.Create().WithStatusCode(404));
        _ehr.Serve("conditions", Response.Create().WithStatusCode(404));
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl,
            TestPatient.Prefetch("medicationRequests", "medicationStatements", "medicationDispenses", "observations", "allergies", "procedures")));

        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Null(result.Record.Patient);
        Assert.Single(_ehr.RequestsTo("/fhir/Patient/pat-1"));
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        await using var elsewhere = Ehr.Start();
        elsewhere.ServeAll();
        _ehr.Serve("conditions", Response.Create().WithStatusCode(302)
            .WithHeader("Location", $"{elsewhere.BaseUrl}/Condition?patient={TestPatient.Id}"));
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(ConditionsOnly());

        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Single(_ehr.RequestsTo("/fhir/Condition"));
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task Circuit_breaker_opens_per_ehr_and_spares_the_others()
    {
        _ehr.ServeEveryKey(() => Response.Create().WithStatusCode(503));
        await using var healthy = Ehr.Start();
        healthy.ServeAll();
        await using var host = FhirTestHost.Create(new Dictionary<string, string?>
        {
            ["Fhir:CircuitBreakerMinimumThroughput"] = "4",
            ["Fhir:CircuitBreakerFailureRatio"] = "0.5",
            ["Fhir:CircuitBreakerBreakDuration"] = "00:00:30",
            ["Fhir:MaxRetries"] = "0",
        });

        var first = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null));
        var reachedFirst = _ehr.Requests.Count;
        var second = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null));
        var other = await host.GetAsync(TestPatient.Request(healthy.BaseUrl, prefetch: null));

        Assert.Equal(TestPatient.AllKinds, first.Unavailable);
        Assert.Equal(TestPatient.AllKinds, second.Unavailable);
        Assert.Equal(reachedFirst, _ehr.Requests.Count); // the open circuit kept the second call's requests home
        Assert.Contains(host.LogsWithEventId(2010), r => r.Message.Contains("BrokenCircuitException", StringComparison.Ordinal));
        Assert.Empty(other.Unavailable);
        Assert.Equal(8, healthy.Requests.Count);
    }
}
