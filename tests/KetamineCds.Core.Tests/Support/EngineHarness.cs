using Hl7.Fhir.Model;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Tests.Support;

/// <summary>Runs the real engine (embedded knowledge base) on in-memory resources.</summary>
internal static class EngineHarness
{
    private static readonly IClinicalEngine DefaultEngine = ClinicalEngineFactory.Create(new ClinicalOptions(), Res.Knowledge);

    public static IClinicalEngine Engine => DefaultEngine;

    public static EvaluationOutcome PatientView(params Resource[] resources) =>
        DefaultEngine.Evaluate(new EvaluationRequest(HookInput.PatientView, PatientRecord.FromResources(resources), Clock.Now));

    public static EvaluationOutcome Sign(IReadOnlyList<Resource> drafts, params Resource[] resources) =>
        DefaultEngine.Evaluate(new EvaluationRequest(new HookInput(HookKind.OrderSign, drafts, []), PatientRecord.FromResources(resources), Clock.Now));

    public static EvaluationOutcome Evaluate(HookInput hook, IEnumerable<Resource> resources, IReadOnlySet<PatientDataKind>? unavailable = null, IClinicalEngine? engine = null) =>
        (engine ?? DefaultEngine).Evaluate(new EvaluationRequest(hook, PatientRecord.FromResources(resources), Clock.Now)
        {
            UnavailableData = unavailable ?? new HashSet<PatientDataKind>(),
        });
}
