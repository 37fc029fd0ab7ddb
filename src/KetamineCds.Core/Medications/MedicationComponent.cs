using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Medications;

/// <summary>
/// One ingredient of a recognised medication: its strength per unit (tablet, capsule...) in mg, or its concentration in
/// mg per mL for a liquid (oral solution), when known.
/// </summary>
internal sealed record MedicationComponent(Ingredient Ingredient, decimal? StrengthMg, decimal? MgPerMl = null);
