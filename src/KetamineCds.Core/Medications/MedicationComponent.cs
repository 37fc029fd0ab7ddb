using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Medications;

/// <summary>One ingredient of a recognised medication and its strength per unit (tablet, capsule...) in mg, when known.</summary>
internal sealed record MedicationComponent(Ingredient Ingredient, decimal? StrengthMg);
