using KetamineCds.Core.Model;
using KetamineCds.Fhir.Diagnostics;
using KetamineCds.Fhir.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KetamineCds.Fhir.Data;

/// <summary>
/// Prefetch first, FHIR server second, bounded by <see cref="FhirOptions.TotalTimeout"/>. Never throws for EHR or data
/// problems; throws <see cref="OperationCanceledException"/> only when the caller's token is cancelled.
/// </summary>
internal sealed class PatientDataProvider(
    FhirHttpClient http,
    IOptionsMonitor<FhirOptions> options,
    TimeProvider time,
    ILogger<PatientDataProvider> logger) : IPatientDataProvider
{
    public async Task<PatientDataResult> GetPatientDataAsync(HookDataRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        var fhir = options.CurrentValue;
        var started = time.GetTimestamp();
        using var budget = new CancellationTokenSource(fhir.TotalTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);

        var call = new PatientDataCall(request, fhir, http, time, logger, cancellationToken, linked.Token);
        var kinds = await call.RunAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var result = new PatientDataResult
        {
            Record = PatientRecord.FromResources(kinds.SelectMany(k => k.Resources)),
            Unavailable = kinds.Where(k => !k.Complete).Select(k => k.Template.Kind).ToHashSet(),
            SkippedResources = kinds.Sum(k => k.Skipped),
            FhirRequests = call.Requests,
            FetchedFromFhirServer = kinds.Where(k => k.ServerPages > 0).Select(k => k.Template.Kind).ToHashSet(),
            Truncated = kinds.Where(k => k.Truncated).Select(k => k.Template.Kind).ToHashSet(),
        };

        var elapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
        FhirLog.Completed(logger, request.HookInstance, elapsedMs, result.FhirRequests, result.Unavailable.Count, result.SkippedResources);
        return result;
    }
}
