using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>One interacting class and the patient's drugs in it.</summary>
internal sealed record InteractionFinding(InteractionClass Class, IReadOnlyList<InteractingDrug> Drugs);
