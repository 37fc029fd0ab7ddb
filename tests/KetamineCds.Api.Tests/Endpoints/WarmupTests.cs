using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Api.Tests.Security;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>
/// Readiness means warm: /health/ready answers only after every documented example and the warm-up record went through
/// the pipeline's steps, request bodies were read over Kestrel and, with authentication on, JwtBearer authenticated
/// tokens of every allowed algorithm; and none of it shows as a call (audit, statistics, logs).
/// </summary>
public sealed class WarmupTests
{
    [Fact]
    public async Task Ready_answers_after_every_documented_example_was_evaluated_without_failure()
    {
        await using var factory = new CdsApiFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = typeof(WarmupTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
        var examples = Directory.GetFiles(Path.Combine(root, "cds-hooks", "examples"), "*.request.json").Length;
        Assert.True(examples >= 5, "the documented examples were not found");
        var warmup = Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 1601);
        // Authentication is on by default, with ES384 and RS384 allowed: 40 validations each. The in-memory test server
        // has no listener to call (StartupProcessTests checks the loopback requests of the real process).
        // The record with every resource type is evaluated 10 times; 10 bodies are read by the warm-up's own Kestrel server.
        Assert.Contains($"{examples} example requests, 1 warm-up record(s), {(examples * 40) + 10} evaluations, 80 token validations, 40 authorizations, 40 replay checks, 0 trusted key(s) prepared, 10 request bodies read, 0 loopback requests, 0 failures", warmup.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.EventId.Id == 1602);
        // The warm-up runs while the host builds its request pipeline: it must never stop the host (a failed background
        // service is logged as Critical before the host stops).
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.EventId.Id == 1604); // the steady warm-up is opt-in
    }

    [Fact]
    public async Task With_the_steady_warm_up_ready_follows_its_rounds_which_leave_no_trace_either()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var ehr = TestEhr.Start();
        await using var factory = new CdsApiFactory([
            new("CdsHooks:Clients:0:Name", "inline"),
            new("CdsHooks:Clients:0:Issuer", ehr.Issuer),
            new("CdsHooks:Clients:0:Jwks", ehr.JwksJson),
            new("CdsHooks:SteadyWarmup", "true"),
            new("CdsHooks:SteadyWarmupLimit", "00:00:02"),
        ]);
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/health/ready", ct);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var steady = Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 1604);
        Assert.Matches("^Steady warm-up \\(CdsHooks:SteadyWarmup\\): [1-9][0-9]* rounds until (the JIT is quiet|the limit was reached);", steady.Message);
        Assert.Contains("0 failures", Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 1601).Message, StringComparison.Ordinal);
        Assert.Equal(0, factory.Services.GetRequiredService<AuditOutbox>().Count);
        Assert.Equal(0, (await factory.Services.GetRequiredService<AuditStore>().CountAsync(ct)).Calls);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Category.StartsWith("KetamineCds.", StringComparison.Ordinal) && e.EventId.Id is (>= 1001 and <= 1003) or (>= 5001 and <= 5003));
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Only_the_configured_algorithms_are_warmed_and_none_without_authentication()
    {
        await using var es384Only = new CdsApiFactory([new("CdsHooks:AllowedAlgorithms:0", "ES384")]);
        await using var authOff = new CdsApiFactory([
            new("CdsHooks:RequireAuthentication", "false"),
            new("CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment", "true"),
        ]);

        foreach (var (factory, expected) in new[]
        {
            (es384Only, "40 token validations, 40 authorizations, 40 replay checks, 0 trusted key(s) prepared, 10 request bodies read, 0 loopback requests, 0 failures"),
            (authOff, "0 token validations, 40 authorizations, 0 replay checks, 0 trusted key(s) prepared, 10 request bodies read, 0 loopback requests, 0 failures"),
        })
        {
            using var client = factory.CreateClient();
            using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var warmup = Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 1601);
            Assert.Contains(expected, warmup.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_warm_up_leaves_no_audit_record_no_hook_statistics_and_no_call_in_the_logs()
    {
        var ct = TestContext.Current.CancellationToken;
        var measured = new ConcurrentQueue<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meters) =>
            {
                if (instrument.Meter.Name == CdsMetrics.MeterName)
                {
                    meters.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, _, _) => measured.Enqueue(instrument));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => measured.Enqueue(instrument));
        listener.Start();
        // Spans come from one static source for every host in this test process: the warm-up record's hookInstance
        // (no other test sends it) tells the warm-up's own apart. Ten of its calls would each leave a hook span.
        var spans = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = s => s.Name == CdsTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(tracing);
        await using var ehr = TestEhr.Start();
        await using var factory = new CdsApiFactory([
            new("CdsHooks:Clients:0:Name", "inline"),
            new("CdsHooks:Clients:0:Issuer", ehr.Issuer),
            new("CdsHooks:Clients:0:Jwks", ehr.JwksJson),
        ]);
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/health/ready", ct);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("0 failures", Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 1601).Message, StringComparison.Ordinal);
        // The service's own meter (other tests' hosts have meters of their own, from their own meter factories).
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        Assert.DoesNotContain(measured, i => ReferenceEquals(i.Meter.Scope, meters));
        Assert.DoesNotContain(spans, s => s.GetTagItem("cds.hook_instance") as string == WarmupRecordHookInstance);
        Assert.Equal(0, factory.Services.GetRequiredService<AuditOutbox>().Count);
        Assert.Equal(0, (await factory.Services.GetRequiredService<AuditStore>().CountAsync(ct)).Calls);
        // Hook answers (1001-1003), token refusals and authentications (5001-5003), refusal summaries (5009, 5013);
        // no authorization decision logged.
        Assert.Empty(factory.Logs.Entries
            .Where(e => (e.Category.StartsWith("KetamineCds.", StringComparison.Ordinal) && e.EventId.Id is (>= 1001 and <= 1003) or (>= 5001 and <= 5003) or 5009 or 5013)
                || e.Category == "Microsoft.AspNetCore.Authorization.DefaultAuthorizationService")
            .Select(e => $"{e.Category}[{e.EventId.Id}] {e.Message}"));
    }

    /// <summary>The hookInstance of <c>Hosting/Warmup/patient-view-every-reader.request.json</c>.</summary>
    private const string WarmupRecordHookInstance = "5b0e1b8e-9d0e-4c1b-9b5a-7f0c2f4e0a11";

    [Fact]
    public void The_warm_up_record_has_every_resource_type_the_rule_data_reader_reads()
    {
        // The resource types of RuleDataReader (KetamineCds.Fhir/Parsing), Medication as a contained one.
        string[] readable = ["Patient", "Condition", "MedicationRequest", "MedicationStatement", "MedicationDispense", "Observation", "AllergyIntolerance", "Procedure", "Medication"];
        using var stream = typeof(Program).Assembly.GetManifestResourceStream("KetamineCds.Api.WarmupRecord.patient-view-every-reader.request.json")!;
        var record = JsonNode.Parse(stream)!;

        var types = record["prefetch"]!.AsObject().Select(p => p.Value!).SelectMany(Resources).SelectMany(r => Contained(r).Prepend(r))
            .Select(r => r["resourceType"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(readable.Except(types));
        Assert.Equal("patient-view", record["hook"]!.GetValue<string>());
        Assert.Equal(WarmupRecordHookInstance, record["hookInstance"]!.GetValue<string>());

        static IEnumerable<JsonNode> Resources(JsonNode value) => value["resourceType"]!.GetValue<string>() == "Bundle"
            ? value["entry"]!.AsArray().Select(e => e!["resource"]!)
            : [value];

        static IEnumerable<JsonNode> Contained(JsonNode resource) => resource["contained"]?.AsArray().Select(c => c!) ?? [];
    }

    private static string FeedbackAudience => CdsApiFactory.ServiceAudience(CdsCalls.ServiceId) + "/feedback";

    [Fact]
    public async Task Inline_EHR_keys_are_prepared_before_ready_and_still_verify_the_EHR_and_nothing_else()
    {
        await using var ehr = TestEhr.Start();
        await using var stranger = TestEhr.Start(issuer: ehr.Issuer); // same issuer, another key: must still be refused
        await using var factory = new CdsApiFactory([
            new("CdsHooks:Clients:0:Name", "inline"),
            new("CdsHooks:Clients:0:Issuer", ehr.Issuer),
            new("CdsHooks:Clients:0:Jwks", ehr.JwksJson),
        ]);
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var warmup = Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 1601);
        Assert.Contains("1 trusted key(s) prepared", warmup.Message, StringComparison.Ordinal);

        using var signed = await client.FeedbackAsync(ehr.CreateToken(FeedbackAudience));
        using var forged = await client.FeedbackAsync(stranger.CreateToken(FeedbackAudience));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }
}
