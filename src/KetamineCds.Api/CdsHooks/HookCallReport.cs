using System.Diagnostics;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Core.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace KetamineCds.Api.CdsHooks;

/// <summary>
/// What a hook call leaves besides its answer: its span (with the engine's), the hook metrics and its log line, each
/// with the call's time so far. A warm-up call (<see cref="WarmupCall"/>) leaves none of it. A struct: one per call,
/// on the hot path.
/// </summary>
internal readonly struct HookCallReport : IDisposable
{
    private readonly string _serviceId;
    private readonly long _started;
    private readonly bool _quiet;
    private readonly Activity? _span;
    private readonly CdsMetrics? _metrics;
    private readonly ILogger _logger;

    /// <param name="quiet">True for a warm-up call: nothing is reported.</param>
    public HookCallReport(string serviceId, long started, bool quiet, CdsMetrics metrics, ILogger logger)
    {
        _serviceId = serviceId;
        _started = started;
        _quiet = quiet;
        _span = _quiet ? null : CdsTelemetry.StartHook(serviceId, hookInstance: null);
        _metrics = _quiet ? null : metrics;
        _logger = _quiet ? NullLogger.Instance : logger;
    }

    /// <summary>The request was read: its hookInstance goes on the span.</summary>
    public void Parsed(string hookInstance) => CdsTelemetry.HookInstance(_span, hookInstance);

    /// <summary>The engine's span (a child of the call's), or null.</summary>
    public Activity? StartEvaluation() => _quiet ? null : CdsTelemetry.Source.StartActivity(CdsTelemetry.EvaluateSpan);

    /// <summary>Answered with <paramref name="status"/> before the request could be read (body errors).</summary>
    public void Answered(int status) => Answered(status, ElapsedMs());

    public void Rejected(int errorCount)
    {
        CdsHookHandler.LogRejected(_logger, _serviceId, errorCount);
        Answered(StatusCodes.Status400BadRequest, ElapsedMs());
    }

    public void DataMissing(string hookInstance, int missingCount)
    {
        var elapsedMs = ElapsedMs();
        CdsHookHandler.LogDataMissing(_logger, _serviceId, hookInstance, missingCount, elapsedMs);
        Answered(StatusCodes.Status412PreconditionFailed, elapsedMs);
    }

    public void Evaluated(string hookInstance, EvaluationOutcome outcome, int fhirRequests)
    {
        var elapsedMs = ElapsedMs();
        CdsHookHandler.LogEvaluated(_logger, _serviceId, hookInstance, outcome.Cards.Count, fhirRequests, elapsedMs);
        Answered(StatusCodes.Status200OK, elapsedMs);
        _metrics?.CardsReturned(_serviceId, outcome.Cards);
    }

    public void Dispose() => _span?.Dispose();

    private void Answered(int status, double elapsedMs)
    {
        CdsTelemetry.Answered(_span, status);
        _metrics?.HookAnswered(_serviceId, status, elapsedMs);
    }

    private double ElapsedMs() => Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
}
