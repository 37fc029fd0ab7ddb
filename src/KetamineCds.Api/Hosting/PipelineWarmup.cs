using System.Diagnostics;
using System.Text.Json;
using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Configuration;
using Microsoft.Extensions.Options;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Fhir;

namespace KetamineCds.Api.Hosting;

/// <summary>
/// Runs the documented example requests (<c>cds-hooks/examples/*.request.json</c>, embedded) through the same steps as
/// a hook call, in process, so the first real call after <c>/health/ready</c> does not pay for JIT compilation:
/// request parsing, prefetch parsing (Firely), the engine, card serialisation. Prefetch only: it never calls a FHIR
/// server. With authentication on, IdentityModel's token validation too (<see cref="TokenValidationWarmup"/>).
/// Readiness waits for it (<see cref="KnowledgeBaseHealthCheck"/>).
/// </summary>
internal sealed partial class PipelineWarmup(
    IClinicalEngine engine,
    [FromKeyedServices(FhirServiceCollectionExtensions.SilentProviderKey)] IPatientDataProvider data,
    IOptions<CdsHooksOptions> cdsOptions,
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
        var calls = 0;
        var failures = 0;
        try
        {
            var examples = LoadExamples();
            for (var i = 0; i < Iterations && !stoppingToken.IsCancellationRequested; i++)
            {
                foreach (var (name, body) in examples)
                {
                    if (await TryEvaluateAsync(body, stoppingToken).ConfigureAwait(false))
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

            var tokens = 0;
            var options = cdsOptions.Value;
            if (options.RequireAuthentication)
            {
                (tokens, var tokenFailures) = await TokenValidationWarmup.RunAsync(options.AllowedAlgorithms, Iterations, stoppingToken).ConfigureAwait(false);
                failures += tokenFailures;
            }

            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogCompleted(logger, examples.Count, calls, tokens, failures, elapsedMs);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _completed.TrySetResult();
        }
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

    private async Task<bool> EvaluateAsync(byte[] body, CancellationToken cancellationToken)
    {
        string? hook;
        using (var document = JsonDocument.Parse(body))
        {
            hook = document.RootElement.GetProperty("hook").GetString();
        }

        var service = CdsServiceCatalog.Services.FirstOrDefault(s => s.Hook == hook);
        if (service is null)
        {
            return false;
        }

        var parsed = HookRequestParser.Parse(body, service);
        if (parsed.Request is null)
        {
            return false;
        }

        using var request = parsed.Request;
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
        _ = JsonSerializer.SerializeToUtf8Bytes(new CdsHookResponse(outcome.Cards), CdsJson.Options);
        return true;
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

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Warm-up: {Examples} example requests, {Calls} evaluations, {Tokens} token validations, {Failures} failures, {ElapsedMs:0} ms.")]
    private static partial void LogCompleted(ILogger logger, int examples, int calls, int tokens, int failures, double elapsedMs);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Warm-up: the example {Example} did not evaluate.")]
    private static partial void LogExampleFailed(ILogger logger, string example);
}
