using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Fhir;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace KetamineCds.Api.Tests.Security;

/// <summary>
/// Load shedding at the edge: with <c>MaxConcurrentHookCalls=1</c> and <c>HookCallQueueLimit=1</c>, one call executes
/// (held inside its FHIR queries by a gate on the WireMock FHIR server), one waits, and the next service or feedback
/// call is answered 503 with Retry-After and a transient OperationOutcome, counted and logged, while health and
/// discovery still answer. Once the gate opens, the held and the queued call complete and the next call is served.
/// Every step waits for a signal (the FHIR server entered, the limiter's queued-requests metric), never for time.
/// </summary>
public sealed class OverloadTests : IAsyncLifetime
{
    private const string PatientId = "example-trd-1";

    /// <summary>The framework's rate-limiting meter and its gauge of requests waiting in a limiter queue.</summary>
    private const string RateLimitingMeter = "Microsoft.AspNetCore.RateLimiting";
    private const string QueuedRequests = "aspnetcore.rate_limiting.queued_requests";

    private readonly TestEhr _ehr = TestEhr.Start();
    private readonly WireMockServer _fhir = WireMockServer.Start();
    private readonly SemaphoreSlim _fhirEntered = new(0);
    private readonly TaskCompletionSource _fhirReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly JsonObject _prefetch = JsonNode.Parse(Endpoints.RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!["prefetch"]!.AsObject();
    private CdsApiFactory _factory = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string FhirBase => _fhir.Url + "/fhir";

    public ValueTask InitializeAsync()
    {
        // The EHR's FHIR server answers the example patient's data, but only once the test opens the gate.
        _fhir.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithCallback(async request =>
        {
            _fhirEntered.Release();
            await _fhirReleased.Task;
            return Answer(request.Path);
        }));

        var settings = _ehr.ClientConfiguration(0, FhirBase)
            .Append(new("CdsHooks:MaxConcurrentHookCalls", "1"))
            .Append(new("CdsHooks:HookCallQueueLimit", "1"))

            // Generous deadlines so that a held call is never ended by a timeout while the test holds it.
            .Append(new("CdsHooks:RequestTimeout", "00:05:00"))
            .Append(new("Fhir:AttemptTimeout", "00:00:30"))
            .Append(new("Fhir:TotalTimeout", "00:01:00"));
        _factory = new CdsApiFactory(settings);
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _fhirReleased.TrySetResult();
        _client.Dispose();
        await _factory.DisposeAsync();
        _fhir.Stop();
        _fhir.Dispose();
        await _ehr.DisposeAsync();
        _fhirEntered.Dispose();
    }

    // The timeout only turns a regression (a signal that never comes) into a failure instead of a hung run.
    [Fact(Timeout = 60_000)]
    public async Task Beyond_the_bound_and_its_queue_a_call_gets_503_with_Retry_After_and_the_next_call_is_served()
    {
        var ct = TestContext.Current.CancellationToken;
        var meters = _factory.Services.GetRequiredService<IMeterFactory>();
        using var rejections = new MetricCollector<long>(meters, CdsMetrics.MeterName, "ketamine_cds.rejections");
        using var queued = new MetricCollector<long>(meters, RateLimitingMeter, QueuedRequests);

        // One call executing: it is inside the FHIR server, holding the only permit.
        var executing = CallAsync();
        await _fhirEntered.WaitAsync(ct);

        // One call waiting in the queue.
        var waiting = CallAsync();
        await queued.WaitForMeasurementsAsync(1, ct);
        Assert.Equal(1, queued.GetMeasurementSnapshot().Sum(m => m.Value));

        // The next service call and a feedback call (same bound) are shed at once.
        using (var shed = await CallAsync())
        {
            await AssertOverloadedAsync(shed);
        }

        using (var feedback = await _client.FeedbackAsync(_ehr.CreateToken(CdsApiFactory.ServiceAudience(CdsCalls.ServiceId) + "/feedback")))
        {
            await AssertOverloadedAsync(feedback);
        }

        // Health probes and discovery are not held back.
        foreach (var path in new[] { "/health/live", "/health/ready", "/cds-services" })
        {
            using var response = await _client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.False(executing.IsCompleted, "the held call finished before the FHIR server answered");
        Assert.False(waiting.IsCompleted, "the queued call finished before the held one");

        // The EHR's FHIR server answers: the held and the queued call complete normally, and the next call is served.
        _fhirReleased.SetResult();
        using (var first = await executing)
        {
            await AssertCardsAsync(first);
        }

        using (var second = await waiting)
        {
            await AssertCardsAsync(second);
        }

        using (var next = await CallAsync())
        {
            await AssertCardsAsync(next);
        }

        var counted = rejections.GetMeasurementSnapshot();
        Assert.Equal(2, counted.Where(m => Equals(m.Tags["client"], "Test EHR 0") && Equals(m.Tags["reason"], "overload")).Sum(m => m.Value));
        Assert.DoesNotContain(counted, m => !Equals(m.Tags["reason"], "overload"));
        var logged = Assert.Single(_factory.Logs.Entries, e => e.EventId.Id == 5009 && e.Message.Contains("instance overloaded", StringComparison.Ordinal));
        Assert.StartsWith("503 for EHR Test EHR 0: instance overloaded", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bound_in_force_is_logged_at_start_up()
    {
        using var response = await _client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);

        var line = Assert.Single(_factory.Logs.Entries, e => e.EventId.Id == 5014);
        Assert.StartsWith("Hook calls: at most 1 at once on this instance, 1 more queued, then 503", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void By_default_the_bound_follows_the_CPU_cores_and_the_queue_follows_the_bound()
    {
        var defaults = new CdsHooksOptions();
        var configured = new CdsHooksOptions { MaxConcurrentHookCalls = 8 };
        var noQueue = new CdsHooksOptions { MaxConcurrentHookCalls = 8, HookCallQueueLimit = 0 };

        Assert.Null(defaults.MaxConcurrentHookCalls);
        Assert.Equal(32 * Environment.ProcessorCount, defaults.EffectiveMaxConcurrentHookCalls);
        Assert.Equal(4 * 32 * Environment.ProcessorCount, defaults.EffectiveHookCallQueueLimit);
        Assert.Equal(32, configured.EffectiveHookCallQueueLimit);
        Assert.Equal(0, noQueue.EffectiveHookCallQueueLimit);
    }

    [Fact]
    public void At_the_default_bound_a_full_instance_answers_far_below_the_FHIR_attempt_timeout()
    {
        // docs/performance.md: a call without prefetch (8 FHIR queries) costs about 3 ms of CPU (754 calls/s on 2 cores).
        const double CpuMsPerFallbackCall = 3;
        var inFlightMs = CdsHooksOptions.HookCallsPerCore * CpuMsPerFallbackCall;

        Assert.True(inFlightMs <= new FhirOptions().AttemptTimeout.TotalMilliseconds / 4, $"{inFlightMs} ms of CPU per core in flight");
    }

    private Task<HttpResponseMessage> CallAsync()
        => _client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), _ehr.CreateToken(CdsApiFactory.ServiceAudience(CdsCalls.ServiceId)), FallbackBody()), Ct);

    /// <summary>A patient-view without prefetch: the service must query the EHR's FHIR server.</summary>
    private string FallbackBody() => new JsonObject
    {
        ["hook"] = "patient-view",
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["fhirServer"] = FhirBase,
        ["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = "fhir-access-token-overload",
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = "user/Patient.read user/Condition.read user/MedicationRequest.read user/Observation.read",
            ["subject"] = "ketamine-cds",
        },
        ["context"] = new JsonObject { ["userId"] = "Practitioner/dr-lee", ["patientId"] = PatientId },
    }.ToJsonString();

    /// <summary>The example patient's resource or search Bundle for a FHIR query path.</summary>
    private ResponseMessage Answer(string path)
    {
        var resource = path.Replace("/fhir/", "", StringComparison.Ordinal);
        var key = resource == "Patient/" + PatientId
            ? "patient"
            : ExampleFhirServer.SearchKinds.Single(kind => kind.Value == resource).Key;
        return new ResponseMessage
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/fhir+json") },
            BodyData = new BodyData { BodyAsString = _prefetch[key]!.ToJsonString(), DetectedBodyType = BodyType.String },
        };
    }

    private static async Task AssertOverloadedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal(OperationOutcomes.ContentType, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(body.Length < 400, body);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("OperationOutcome", doc.RootElement.GetProperty("resourceType").GetString());
        Assert.Equal("transient", doc.RootElement.GetProperty("issue")[0].GetProperty("code").GetString());
    }

    private static async Task AssertCardsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("trd-candidate", EndToEnd.CardJson.Topics(body));
    }
}
