namespace KetamineCds.Core.Knowledge;

/// <summary>Concept set ids in concept-sets.json that the rules read directly.</summary>
internal static class ConceptIds
{
    public const string MajorDepression = "major-depression";
    public const string TreatmentResistantDepression = "treatment-resistant-depression";
    public const string SuicidalIdeation = "suicidal-ideation";
    public const string BipolarDisorder = "bipolar-disorder";
    public const string Pregnancy = "pregnancy";
    public const string Phq9Total = "phq9-total";
    public const string SystolicBp = "systolic-bp";
    public const string DiastolicBp = "diastolic-bp";
    public const string PregnancyStatus = "pregnancy-status";
    public const string PregnantAnswer = "pregnant-answer";
    public const string Ect = "ect";
    public const string EctBilateral = "ect-bilateral";

    /// <summary>Sets the engine cannot work without; the loader fails when one is missing.</summary>
    public static readonly string[] Required =
    [
        MajorDepression, TreatmentResistantDepression, SuicidalIdeation, BipolarDisorder, Pregnancy,
        Phq9Total, SystolicBp, DiastolicBp, PregnancyStatus, PregnantAnswer, Ect, EctBilateral,
    ];
}
