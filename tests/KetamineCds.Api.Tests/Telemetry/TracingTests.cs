using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Fhir.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace KetamineCds.Api.Tests.Telemetry;

/// <summary>
/// Spans of the <c>KetamineCds</c> source through a real hook call with WireMock.Net as the EHR's FHIR server: one hook
/// span (service, hookInstance, status), one engine span, one span per FHIR request tagged with the authority; no tag
/// carries the patient id or a URL. FHIR latency and failures are metered per authority.
/// </summary>
public sealed class TracingTests : IAsyncLifetime
{
    private const string PatientId = "pat-otel-4711";
    private readonly ConcurrentBag<Activity> _stopped = [];
    private ActivityListener _listener = null!;
    private WireMockServer _fhir = null!;
    private CdsApiFactory _host = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == CdsTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Add,
        };
        ActivitySource.AddActivityListener(_listener);
        _fhir = WireMockServer.Start();
        // Generous FHIR timeouts: on a loaded machine a retried attempt would make the request count differ from the span count.
        _host = new CdsApiFactory(new Dictionary<string, string?>
        {
            ["CdsHooks:RequireAuthentication"] = "false",
            ["CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment"] = "true",
            ["CdsHooks:Clients:0:Name"] = "Example EHR",
            ["CdsHooks:Clients:0:Issuer"] = "https://ehr.example.org",
            ["CdsHooks:Clients:0:JwksUrl"] = "https://ehr.example.org/jwks.json",
            ["CdsHooks:Clients:0:AllowedFhirServers:0"] = _fhir.Url + "/fhir",
            ["Fhir:TotalTimeout"] = "00:00:30",
            ["Fhir:AttemptTimeout"] = "00:00:20",
            ["Fhir:MaxRetries"] = "0",
        });
        _client = _host.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        _client.Dispose();
        await _host.DisposeAsync();
        _fhir.Stop();
        _fhir.Dispose();
    }

    [Fact]
    public async Task Hook_call_has_a_hook_span_an_engine_span_and_one_span_per_FHIR_request_without_patient_id()
    {
        _fhir.Given(Request.Create().WithPath($"/fhir/Patient/{PatientId}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json")
                .WithBody($$"""{"resourceType":"Patient","id":"{{PatientId}}","birthDate":"1980-01-01"}"""));
        _fhir.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/fhir/*")).UsingGet()).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/fhir+json")
                .WithBody("""{"resourceType":"Bundle","type":"searchset","entry":[]}"""));
        var hookInstance = Guid.NewGuid().ToString();
        using var duration = new MetricCollector<double>(_host.Services.GetRequiredService<IMeterFactory>(), FhirTelemetry.MeterName, "ketamine_cds.fhir.request.duration");

        var (status, body) = await CallAsync(HookCall(hookInstance));

        Assert.True(status == 200, body);
        var hook = Assert.Single(_stopped, a => a.OperationName == CdsTelemetry.HookSpan && (string?)a.GetTagItem("cds.hook_instance") == hookInstance);
        Assert.Equal("ketamine-trd-screening", hook.GetTagItem("cds.service"));
        Assert.Equal(200, hook.GetTagItem("http.response.status_code"));
        var trace = _stopped.Where(a => a.TraceId == hook.TraceId).ToList();
        var engine = Assert.Single(trace, a => a.OperationName == CdsTelemetry.EvaluateSpan);
        Assert.Equal(hook.SpanId, engine.ParentSpanId);

        var fhirSpans = trace.Where(a => a.OperationName == FhirTelemetry.RequestSpan).ToList();
        var fhirRequests = _fhir.LogEntries.Count;
        Assert.True(fhirRequests > 0, "no FHIR request was made");
        Assert.True(fhirRequests == fhirSpans.Count, string.Join(", ", _fhir.LogEntries.Select(e => e.RequestMessage.Path + " " + e.ResponseMessage.StatusCode)));
        var authority = new Uri(_fhir.Url!).Authority;
        Assert.All(fhirSpans, s =>
        {
            Assert.Equal(ActivityKind.Client, s.Kind);
            Assert.Equal(authority, s.GetTagItem("server.address"));
            Assert.Equal(200, s.GetTagItem("http.response.status_code"));
        });

        // No tag of any span of the call carries the patient id, a URL or a query.
        var values = trace.SelectMany(a => a.TagObjects).Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToList();
        Assert.DoesNotContain(values, v => v.Contains(PatientId, StringComparison.Ordinal) || v.Contains('?', StringComparison.Ordinal) || v.Contains("/fhir", StringComparison.Ordinal));
        Assert.DoesNotContain(trace, a => a.DisplayName.Contains(PatientId, StringComparison.Ordinal));

        var measured = duration.GetMeasurementSnapshot();
        Assert.Equal(fhirRequests, measured.Count);
        Assert.All(measured, m => Assert.Equal(authority, m.Tags["server.address"]));
    }

    [Fact]
    public async Task FHIR_failures_are_counted_per_authority_and_mark_the_span_as_error()
    {
        _fhir.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/fhir/*")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/fhir+json")
                .WithBody("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}"""));
        var hookInstance = Guid.NewGuid().ToString();
        using var failures = new MetricCollector<long>(_host.Services.GetRequiredService<IMeterFactory>(), FhirTelemetry.MeterName, "ketamine_cds.fhir.request.failures");

        await CallAsync(HookCall(hookInstance));

        var hook = Assert.Single(_stopped, a => a.OperationName == CdsTelemetry.HookSpan && (string?)a.GetTagItem("cds.hook_instance") == hookInstance);
        var fhirSpans = _stopped.Where(a => a.TraceId == hook.TraceId && a.OperationName == FhirTelemetry.RequestSpan).ToList();
        Assert.NotEmpty(fhirSpans);
        Assert.All(fhirSpans, s => Assert.Equal(ActivityStatusCode.Error, s.Status));
        var authority = new Uri(_fhir.Url!).Authority;
        var counted = failures.GetMeasurementSnapshot();
        Assert.Equal(fhirSpans.Count, counted.Count);
        Assert.All(counted, m =>
        {
            Assert.Equal(authority, m.Tags["server.address"]);
            Assert.Equal("404", m.Tags["error.type"]);
        });
    }

    private async Task<(int Status, string Body)> CallAsync(JsonObject request)
    {
        using var content = new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync(new Uri("/cds-services/ketamine-trd-screening", UriKind.Relative), content, Ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private JsonObject HookCall(string hookInstance) => new()
    {
        ["hook"] = "patient-view",
        ["hookInstance"] = hookInstance,
        ["fhirServer"] = _fhir.Url + "/fhir",
        ["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = "ehr-access-token-otel",
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = "user/Patient.read user/Condition.read user/MedicationRequest.read user/Observation.read",
            ["subject"] = "ketamine-cds",
        },
        ["context"] = new JsonObject { ["userId"] = "Practitioner/example", ["patientId"] = PatientId },
    };
}
