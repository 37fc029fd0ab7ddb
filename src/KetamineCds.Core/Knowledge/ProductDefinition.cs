using KetamineCds.Core.Medications;

namespace KetamineCds.Core.Knowledge;

/// <summary>An RxNorm code (ingredient, SCD, SBD, Synthea code...) and what it contains.</summary>
internal sealed record ProductDefinition(string Code, string Display, IReadOnlyList<MedicationComponent> Components, string Source);
