using KetamineCds.Core.Model;

namespace KetamineCds.Core.Assessment;

/// <summary>Everything the card composers need for one evaluation.</summary>
internal sealed record PatientAssessment
{
    public required TrdAssessment Trd { get; init; }

    public required SafetyAssessment Safety { get; init; }

    public required BloodPressureAssessment BloodPressure { get; init; }

    /// <summary>Interacting classes among the patient's current medications and the other draft orders.</summary>
    public required IReadOnlyList<InteractionFinding> Interactions { get; init; }

    /// <summary>Current ketamine/esketamine exposures (the patient is on therapy when non-empty).</summary>
    public required IReadOnlyList<MedicationExposure> CurrentTherapy { get; init; }

    /// <summary>Ketamine/esketamine draft orders in focus.</summary>
    public required IReadOnlyList<DraftOrder> KetamineDrafts { get; init; }

    /// <summary>"esketamine", "ketamine" or "ketamine/esketamine": the drug the safety cards are about.</summary>
    public required string TherapyName { get; init; }

    /// <summary>The therapy in question includes esketamine (nasal spray): its label's wording and fixed-dose devices apply.</summary>
    public bool InvolvesEsketamine { get; init; }

    /// <summary>The therapy in question is racemic ketamine (IV/IM) alone: the ketamine sources' wording applies, not the esketamine label's.</summary>
    public bool RacemicKetamineOnly { get; init; }

    public required bool IndicationNotDocumented { get; init; }

    public required IReadOnlySet<PatientDataKind> Unavailable { get; init; }

    /// <summary>Active conditions without a SNOMED CT or ICD-10-CM code: not checked by any rule (see <see cref="ConditionFacts.WithoutStandardCode"/>).</summary>
    public IReadOnlyList<string> ConditionsWithoutStandardCode { get; init; } = [];

    public string? PatientId { get; init; }
}
