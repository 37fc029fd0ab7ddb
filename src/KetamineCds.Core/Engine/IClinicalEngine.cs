using KetamineCds.Core.Model;

namespace KetamineCds.Core.Engine;

/// <summary>The clinical engine: pure, thread-safe, no I/O. One instance serves every request.</summary>
public interface IClinicalEngine
{
    /// <summary>Evaluates one hook call.</summary>
    EvaluationOutcome Evaluate(EvaluationRequest request);

    /// <summary>
    /// False when the hook can be answered without the patient's record, so no FHIR data is fetched:
    /// order hooks whose draft orders involve neither ketamine/esketamine nor a drug that interacts with them.
    /// </summary>
    bool RequiresPatientData(HookInput hook) => true;
}
