using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KetamineCds.Api.Hosting;

/// <summary>
/// Ready when the hook pipeline has been warmed up (<see cref="PipelineWarmup"/>: a probe during the warm-up waits for it)
/// and the clinical engine answers an empty evaluation.
/// </summary>
internal sealed class KnowledgeBaseHealthCheck(IClinicalEngine engine, PipelineWarmup warmup, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await warmup.Completed.WaitAsync(cancellationToken).ConfigureAwait(false);
        var outcome = engine.Evaluate(new EvaluationRequest(HookInput.PatientView, PatientRecord.Empty, time.GetUtcNow()));
        return outcome.Cards.Count == 0
            ? HealthCheckResult.Healthy("Clinical engine loaded and warmed up.")
            : HealthCheckResult.Degraded("Clinical engine returned cards for an empty record.");
    }
}
