using System.Diagnostics;
using System.Text.Json;
using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Fhir;

namespace KetamineCds.Api.Hosting;

/// <summary>
/// Runs the documented example requests (<c>cds-hooks/examples/*.request.json</c>, embedded) through the same steps as
/// a hook call, in process, so the first real call after <c>/health/ready</c> does not pay for JIT compilation and
/// first-use initialisation: reading the body (pooled buffer), request parsing, prefetch parsing, the engine, writing the
/// JSON answer to a response. Prefetch only: it never calls a FHIR server. With authentication on, IdentityModel's token
/// validation too (<see cref="TokenValidationWarmup"/>). Once the server listens, requests over its own listener
/// (<see cref="LoopbackWarmup"/>). Readiness waits for all of it (<see cref="KnowledgeBaseHealthCheck"/>).
/// </summary>
internal sealed partial class PipelineWarmup(
    IClinicalEngine engine,
    [FromKeyedServices(FhirServiceCollectionExtensions.SilentProviderKey)] IPatientDataProvider data,
    IOptions<CdsHooksOptions> cdsOptions,
    IServer server,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<PipelineWarmup> logger)
    : BackgroundService
{
    /// <summary>Evaluations per example: enough for the hot methods to pass the tiered JIT's call-count threshold (30).</summary>
    internal const int Iterations = 40;

    private const string ResourcePrefix = "KetamineCds.Api.Warmup.";

    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
            var examples = LoadExamples();
            var evaluating = Task.Run(() => RunExamplesAsync(examples, stoppingToken), stoppingToken);
            var validating = options.RequireAuthentication
                ? Task.Run(() => TokenValidationWarmup.RunAsync(options.AllowedAlgorithms, Iterations, stoppingToken), stoppingToken)
                : Task.FromResult((Validations: 0, Failures: 0));
            var (calls, exampleFailures) = await evaluating.ConfigureAwait(false);
            var (tokens, tokenFailures) = await validating.ConfigureAwait(false);
            failures += exampleFailures + tokenFailures;

            var keys = 0;
            if (options.RequireAuthentication && services.GetService<JwksKeyCache>() is { } trusted)
            {
                keys = TokenValidationWarmup.PrepareTrustedKeys(trusted.AllCachedKeys(), options.AllowedAlgorithms);
            }

            var loopback = await LoopbackWarmup.RunAsync(server, lifetime, !options.RequireAuthentication || options.AllowAnonymousDiscovery, Iterations, stoppingToken).ConfigureAwait(false);
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogCompleted(logger, examples.Count, calls, tokens, keys, loopback, failures, elapsedMs);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _completed.TrySetResult();
        }
    }

    private async Task<(int Calls, int Failures)> RunExamplesAsync(List<(string Name, byte[] Body)> examples, CancellationToken cancellationToken)
    {
        var calls = 0;
        var failures = 0;
        for (var i = 0; i < Iterations && !cancellationToken.IsCancellationRequested; i++)
        {
            foreach (var (name, body) in examples)
            {
                if (await TryEvaluateAsync(body, cancellationToken).ConfigureAwait(false))
                {
                    calls++;
                }
                else
                {
                    failures++;
                    if (i == 0)
                    {
                        LogExampleFailed(logger, name);
                    }
                }
            }
        }

        return (calls, failures);
    }

    /// <summary>One evaluation; false when the example does not evaluate (a warm-up never stops the host).</summary>
    private async Task<bool> TryEvaluateAsync(byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            return await EvaluateAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> EvaluateAsync(byte[] example, CancellationToken cancellationToken)
    {
        string? hook;
        using (var document = JsonDocument.Parse(example))
        {
            hook = document.RootElement.GetProperty("hook").GetString();
        }

        var service = CdsServiceCatalog.Services.FirstOrDefault(s => s.Hook == hook);
        if (service is null)
        {
            return false;
        }

        // The body is read and the answer written as the endpoint does (pooled body buffer, JSON written to the
        // response's pipe), on an in-memory HttpContext: these paths cost ~10 ms on a first call otherwise.
        var response = new CompletingResponseFeature();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Features.Set<IHttpResponseFeature>(response);
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        http.Request.ContentType = "application/json";
        http.Request.ContentLength = example.Length;
        http.Request.Body = new MemoryStream(example, writable: false);
        try
        {
            var body = await RequestBody.ReadJsonAsync(http.Request, cdsOptions.Value.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
            if (body.Error is not null)
            {
                return false;
            }

            var parsed = HookRequestParser.Parse(body.Content, service);
            if (parsed.Request is null)
            {
                return false;
            }

            var request = parsed.Request;
            var input = new HookInput(service.Kind, request.DraftOrders, request.Selections);
            var record = PatientRecord.Empty;
            IReadOnlySet<PatientDataKind> unavailable = new HashSet<PatientDataKind>();
            if (engine.RequiresPatientData(input))
            {
                var result = await data.GetPatientDataAsync(
                    new HookDataRequest { HookInstance = request.HookInstance, PrefetchTokens = request.PrefetchTokens, Prefetch = request.Prefetch },
                    cancellationToken).ConfigureAwait(false);
                record = result.Record;
                unavailable = result.Unavailable;
            }

            var outcome = engine.Evaluate(new EvaluationRequest(input, record, time.GetUtcNow()) { UnavailableData = unavailable });
            await TypedResults.Json(new CdsHookResponse(outcome.Cards), CdsJson.Options).ExecuteAsync(http).ConfigureAwait(false);
            return true;
        }
        finally
        {
            await response.CompleteAsync().ConfigureAwait(false); // returns the pooled body buffer, as Kestrel does
        }
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

    private static List<(string Name, byte[] Body)> LoadExamples()
    {
        var assembly = typeof(PipelineWarmup).Assembly;
        var examples = new List<(string, byte[])>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            examples.Add((name[ResourcePrefix.Length..], copy.ToArray()));
        }

        return examples;
    }

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Warm-up: {Examples} example requests, {Calls} evaluations, {Tokens} token validations, {Keys} trusted key(s) prepared, {Loopback} loopback requests, {Failures} failures, {ElapsedMs:0} ms.")]
    private static partial void LogCompleted(ILogger logger, int examples, int calls, int tokens, int keys, int loopback, int failures, double elapsedMs);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Warm-up: the example {Example} did not evaluate.")]
    private static partial void LogExampleFailed(ILogger logger, string example);
}
