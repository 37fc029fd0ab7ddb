using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>A drug of the patient (current medication or draft order) in an interacting class.</summary>
internal sealed record InteractingDrug(Ingredient Ingredient, string? Text, MedicationSourceKind Source, DateTimeOffset? Since, decimal? DailyDoseMg);
