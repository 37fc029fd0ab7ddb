using System.Diagnostics;
using System.Text.Json;
using KetamineCds.Api.Admin;
using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using KetamineCds.Fhir;
using KetamineCds.Storage;

namespace KetamineCds.Api.Hosting;

/// <summary>
/// Runs the documented example requests (<c>cds-hooks/examples/*.request.json</c>) and a record with every resource
/// type and element the rule data reader knows (<c>Hosting/Warmup/*.request.json</c>; both embedded) through the hook
/// endpoint's own request delegate, in process, so the first real call after <c>/health/ready</c> does not pay for JIT
/// compilation and first-use initialisation: parameter binding, reading the body (pooled buffer), request parsing,
/// prefetch parsing, the audit feature (dropped), the engine, the SMART links, writing the JSON answer to a response.
/// Marked as the warm-up's (<see cref="WarmupCall"/>): prefetch only, it never calls a FHIR server. Beside it: request
/// bodies read over Kestrel (<see cref="RequestBodyWarmup"/>), the metric instruments' generic code
/// (<see cref="InstrumentWarmup"/>), authorization and, with authentication on, the replay check
/// (<see cref="AccessWarmup"/>) and JwtBearer's token validation (<see cref="TokenValidationWarmup"/>). Once the server
/// listens, requests over its own listener (<see cref="LoopbackWarmup"/>). With <c>CdsHooks:SteadyWarmup</c>, rounds of
/// the same until the JIT is quiet (<see cref="SteadyWarmup"/>). Nothing of it is audited, counted or logged as a call.
/// Readiness waits for all of it (<see cref="KnowledgeBaseHealthCheck"/>).
/// </summary>
internal sealed partial class PipelineWarmup(
    EndpointDataSource endpoints,
    RequestPipelineBuilt pipelineBuilt,
    [FromKeyedServices(FhirServiceCollectionExtensions.SilentProviderKey)] IPatientDataProvider data,
    IOptions<CdsHooksOptions> cdsOptions,
    IServer server,
    WarmupCaller warmupCaller,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<PipelineWarmup> logger)
    : BackgroundService
{
    /// <summary>Evaluations per example: enough for the hot methods to pass the tiered JIT's call-count threshold (30).</summary>
    internal const int Iterations = 40;

    /// <summary>
    /// Evaluations of the record with every resource type and element the rule data reader knows, and request bodies read
    /// by the warm-up's own server: what the first call needs is that the code has run once; the record has ~40
    /// resources, so its readers pass the call-count threshold in a few evaluations.
    /// </summary>
    internal const int RecordIterations = 10;

    private const int EvaluationLanes = 2;

    private const string ResourcePrefix = "KetamineCds.Api.Warmup.";

    private const string RecordPrefix = "KetamineCds.Api.WarmupRecord.";

    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly WarmupCall _call = new(data);

    /// <summary>Completes when the warm-up has run (successfully or not: a failure is logged and never blocks readiness forever).</summary>
    public Task Completed => _completed.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // let the host go on starting (Kestrel listens meanwhile; readiness waits)
        var started = Stopwatch.GetTimestamp();
        var failures = 0;
        try
        {
            // The examples and the token validations share nothing: on two cores they run side by side.
            var options = cdsOptions.Value;
            var examples = LoadEmbedded(ResourcePrefix);
            var records = LoadEmbedded(RecordPrefix);
            // The evaluations are the longest part: two lanes (even and odd rounds) use the second core once the rest is done.
            var endpoint = await HookEndpointAsync(stoppingToken).ConfigureAwait(false);
            var evaluating = Task.WhenAll(Enumerable.Range(0, EvaluationLanes).Select(lane => Task.Run(() => RunExamplesAsync(endpoint, examples, records, lane, stoppingToken), stoppingToken)));
            var validating = options.RequireAuthentication
                ? Task.Run(() => TokenValidationWarmup.RunAsync(options.AllowedAlgorithms, Iterations, stoppingToken), stoppingToken)
                : Task.FromResult((Validations: 0, Failures: 0));
            var reading = Task.Run(() => RequestBodyWarmup.RunAsync(services, [.. records.Concat(examples).Select(e => e.Body)], options.MaxRequestBodyBytes, RecordIterations, stoppingToken), stoppingToken);
            InstrumentWarmup.Run(Iterations);
            var lanes = await evaluating.ConfigureAwait(false);
            var (calls, exampleFailures) = (lanes.Sum(l => l.Calls), lanes.Sum(l => l.Failures));
            var (tokens, tokenFailures) = await validating.ConfigureAwait(false);
            failures += exampleFailures + tokenFailures;

            // Authorization runs for every hook call; the replay check for every signed one.
            var (authorizations, authorizationFailures) = await AccessWarmup.AuthorizeAsync(services, options.RequireAuthentication, Iterations, stoppingToken).ConfigureAwait(false);
            var (replayChecks, replayFailures) = options.RequireAuthentication && services.GetService<IJtiReplayCache>() is { } replay
                ? await AccessWarmup.CheckReplayAsync(replay, time, Iterations, stoppingToken).ConfigureAwait(false)
                : (0, 0);
            failures += authorizationFailures + replayFailures;

            var keys = 0;
            if (options.RequireAuthentication && services.GetService<JwksKeyCache>() is { } trusted)
            {
                keys = TokenValidationWarmup.PrepareTrustedKeys(trusted.AllCachedKeys(), options.AllowedAlgorithms);
                await TokenValidationWarmup.LookUpInlineKeysAsync(trusted, options.Clients, stoppingToken).ConfigureAwait(false);
            }

            var bodies = await ReadBodiesAsync(reading, stoppingToken).ConfigureAwait(false);

            var discoveryIsPublic = !options.RequireAuthentication || options.AllowAnonymousDiscovery;
            var loopback = await LoopbackWarmup.RunAsync(server, lifetime, warmupCaller, discoveryIsPublic, Iterations, stoppingToken).ConfigureAwait(false);
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogCompleted(logger, examples.Count, records.Count, calls, tokens, authorizations, replayChecks, keys, bodies, loopback, failures, elapsedMs);

            if (options.SteadyWarmup)
            {
                // The same calls, in rounds, until the JIT has recompiled them (opt-in: ~15-18 s more to ready on two
                // cores). A failing example was logged above, once.
                using var warmupTokens = options.RequireAuthentication ? TokenValidationWarmup.Prepare(options.AllowedAlgorithms) : null;
                var round = 0;
                var (rounds, quiet) = await SteadyWarmup.RunAsync(
                    async ct =>
                    {
                        foreach (var example in examples.Concat(records))
                        {
                            await Task.Yield(); // as in the lanes: never hold a pool thread for long
                            await TryEvaluateAsync(endpoint, example, ct).ConfigureAwait(false);
                        }

                        if (warmupTokens is not null)
                        {
                            await warmupTokens.ValidateAsync(1, ct).ConfigureAwait(false);
                        }

                        // Every tenth round: four requests over a new loopback connection each time (thousands of
                        // connections otherwise, lingering in TIME_WAIT).
                        if (round++ % 10 == 0)
                        {
                            await LoopbackWarmup.RunAsync(server, lifetime, warmupCaller, discoveryIsPublic, 4, ct).ConfigureAwait(false);
                        }
                    },
                    time,
                    options.SteadyWarmupLimit,
                    stoppingToken).ConfigureAwait(false);
                var methods = System.Runtime.JitInfo.GetCompiledMethodCount();
                elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogSteady(logger, rounds, quiet ? "the JIT is quiet" : "the limit was reached", methods, elapsedMs);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _completed.TrySetResult();
        }
    }

    /// <summary>The request bodies the warm-up server read; 0 when it could not run (e.g. no loopback socket: logged, never fatal).</summary>
    private async Task<int> ReadBodiesAsync(Task<int> reading, CancellationToken stoppingToken)
    {
        try
        {
            return await reading.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogBodyReadFailed(logger, e.GetType().Name);
            return 0;
        }
    }

    /// <summary>Rounds <paramref name="lane"/>, <paramref name="lane"/> + <see cref="EvaluationLanes"/>, ... of the examples (and the record in its first rounds).</summary>
    private async Task<(int Calls, int Failures)> RunExamplesAsync(RequestDelegate endpoint, List<WarmupRequest> examples, List<WarmupRequest> records, int lane, CancellationToken cancellationToken)
    {
        var calls = 0;
        var failures = 0;
        for (var i = lane; i < Iterations && !cancellationToken.IsCancellationRequested; i += EvaluationLanes)
        {
            foreach (var example in i < RecordIterations ? examples.Concat(records) : examples)
            {
                // The calls complete synchronously: without a yield each lane holds a thread-pool thread for its whole
                // run, and work queued behind it (the first real calls, an EHR's JWKS fetch) waits for the pool to grow.
                await Task.Yield();
                if (await TryEvaluateAsync(endpoint, example, cancellationToken).ConfigureAwait(false))
                {
                    calls++;
                }
                else
                {
                    failures++;
                    if (i == 0)
                    {
                        LogExampleFailed(logger, example.Name);
                    }
                }
            }
        }

        return (calls, failures);
    }

    /// <summary>One evaluation; false when the example does not evaluate (a warm-up never stops the host).</summary>
    private async Task<bool> TryEvaluateAsync(RequestDelegate endpoint, WarmupRequest example, CancellationToken cancellationToken)
    {
        try
        {
            return await EvaluateAsync(endpoint, example, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// One call of the hook endpoint's own request delegate (routing's, with its parameter binding), on an in-memory
    /// HttpContext marked as the warm-up's (<see cref="WarmupCall"/>: no span, metric, log line or FHIR request; no audit
    /// middleware on this path, and its audit feature is filled in and dropped). The first configured EHR stands for
    /// the caller (links and allowed servers as for its calls); none: anonymous. True when it answered 200.
    /// </summary>
    private async Task<bool> EvaluateAsync(RequestDelegate endpoint, WarmupRequest warmup, CancellationToken cancellationToken)
    {
        if (warmup.Service is not { } service)
        {
            return false;
        }

        var response = new CompletingResponseFeature();
        var http = new DefaultHttpContext { RequestServices = services, RequestAborted = cancellationToken };
        http.Features.Set<IHttpResponseFeature>(response);
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        http.Features.Set(_call);
        if (services.GetService<PatientKeyHasher>() is { } hasher)
        {
            http.Features.Set(new HookAuditFeature(hasher));
        }

        if (cdsOptions.Value.RequireAuthentication && cdsOptions.Value.Clients.FirstOrDefault() is { } caller)
        {
            http.SetCdsClient(caller);
        }

        http.Request.Method = HttpMethods.Post;
        http.Request.Path = "/cds-services/" + service.Id;
        http.Request.RouteValues["id"] = service.Id;
        http.Request.ContentType = "application/json";
        http.Request.ContentLength = warmup.Body.Length;
        http.Request.Body = new MemoryStream(warmup.Body, writable: false);
        try
        {
            await endpoint(http).ConfigureAwait(false);
            return http.Response.StatusCode == StatusCodes.Status200OK;
        }
        finally
        {
            await response.CompleteAsync().ConfigureAwait(false); // returns the pooled body buffer, as Kestrel does
        }
    }

    /// <summary>
    /// The request delegate routing runs for <c>POST /cds-services/{id}</c>, found by its endpoint name once the host has
    /// built its request pipeline (<see cref="RequestPipelineBuilt"/>; the server is not listening yet).
    /// </summary>
    private async Task<RequestDelegate> HookEndpointAsync(CancellationToken cancellationToken)
    {
        await pipelineBuilt.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return endpoints.Endpoints.FirstOrDefault(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == CdsHooksEndpoints.HookEndpointName)?.RequestDelegate
            ?? throw new InvalidOperationException($"No endpoint named {CdsHooksEndpoints.HookEndpointName} is mapped.");
    }

    /// <summary>An in-memory response that runs its OnCompleted callbacks (the pooled body buffer is returned in one).</summary>
    private sealed class CompletingResponseFeature : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _completed = [];

        public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

        public async Task CompleteAsync()
        {
            for (var i = _completed.Count - 1; i >= 0; i--)
            {
                await _completed[i].Callback(_completed[i].State).ConfigureAwait(false);
            }
        }
    }

    /// <summary>An embedded request and the service of its hook (read once here; none when the hook is not one of ours).</summary>
    private sealed record WarmupRequest(string Name, byte[] Body, CdsServiceDefinition? Service);

    private static List<WarmupRequest> LoadEmbedded(string prefix)
    {
        var assembly = typeof(PipelineWarmup).Assembly;
        var examples = new List<WarmupRequest>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var body = copy.ToArray();
            examples.Add(new WarmupRequest(name[prefix.Length..], body, ServiceFor(body)));
        }

        return examples;
    }

    private static CdsServiceDefinition? ServiceFor(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var hook = document.RootElement.GetProperty("hook").GetString();
            return CdsServiceCatalog.Services.FirstOrDefault(s => s.Hook == hook);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null; // counted as a failure when evaluated, as before
        }
    }

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Warm-up: {Examples} example requests, {Records} warm-up record(s), {Calls} evaluations, {Tokens} token validations, {Authorizations} authorizations, {ReplayChecks} replay checks, {Keys} trusted key(s) prepared, {Bodies} request bodies read, {Loopback} loopback requests, {Failures} failures, {ElapsedMs:0} ms.")]
    private static partial void LogCompleted(ILogger logger, int examples, int records, int calls, int tokens, int authorizations, int replayChecks, int keys, int bodies, int loopback, int failures, double elapsedMs);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Information, Message = "Steady warm-up (CdsHooks:SteadyWarmup): {Rounds} rounds until {Ended}; {Methods} methods compiled since the process started; {ElapsedMs:0} ms since the warm-up began.")]
    private static partial void LogSteady(ILogger logger, int rounds, string ended, long methods, double elapsedMs);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Warning, Message = "Warm-up: the request-body server did not run ({Error}); the first hook call reads its body cold.")]
    private static partial void LogBodyReadFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Warm-up: the example {Example} did not evaluate.")]
    private static partial void LogExampleFailed(ILogger logger, string example);
}
