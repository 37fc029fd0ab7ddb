using KetamineCds.Fhir;

namespace KetamineCds.Api.CdsHooks;

/// <summary>
/// Marks the warm-up's in-process calls of the hook endpoint (<see cref="Hosting.PipelineWarmup"/>, an
/// <see cref="HttpContext"/> feature). They are answered exactly as any call, by the same code, but they are not
/// traffic: no span, no metric, no log line (<see cref="HookCallReport"/>), no audit record (they do not pass the audit
/// middleware), and patient data from the prefetch only, read by a provider that logs nothing: a warm-up never calls a
/// FHIR server.
/// </summary>
internal sealed class WarmupCall(IPatientDataProvider silentData)
{
    /// <summary>The data provider for the warm-up's calls: <paramref name="silentData"/>, with any FHIR server removed.</summary>
    public IPatientDataProvider Data { get; } = new PrefetchOnly(silentData);

    /// <summary>The warm-up call this request is, or null for every real call.</summary>
    public static WarmupCall? Of(HttpContext context) => context.Features.Get<WarmupCall>();

    private sealed class PrefetchOnly(IPatientDataProvider data) : IPatientDataProvider
    {
        public Task<PatientDataResult> GetPatientDataAsync(HookDataRequest request, CancellationToken cancellationToken)
            => data.GetPatientDataAsync(request with { FhirServer = null, AccessToken = null }, cancellationToken);
    }
}
