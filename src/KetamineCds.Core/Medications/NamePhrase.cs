using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Medications;

/// <summary>A generic or brand name as a token sequence, and the ingredients it stands for.</summary>
internal sealed record NamePhrase(string Name, string[] Tokens, IReadOnlyList<Ingredient> Ingredients, bool IsBrand);
