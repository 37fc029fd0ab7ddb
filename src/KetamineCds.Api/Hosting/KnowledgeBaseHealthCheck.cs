using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KetamineCds.Api.Hosting;

/// <summary>Ready when the clinical engine is built and answers an empty evaluation.</summary>
internal sealed class KnowledgeBaseHealthCheck(IClinicalEngine engine, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var outcome = engine.Evaluate(new EvaluationRequest(HookInput.PatientView, PatientRecord.Empty, time.GetUtcNow()));
        return Task.FromResult(outcome.Cards.Count == 0
            ? HealthCheckResult.Healthy("Clinical engine loaded.")
            : HealthCheckResult.Degraded("Clinical engine returned cards for an empty record."));
    }
}
