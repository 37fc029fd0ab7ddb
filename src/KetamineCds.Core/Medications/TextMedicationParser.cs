namespace KetamineCds.Core.Medications;

/// <summary>
/// Reads ingredients and per-unit strengths out of drug text: RxNorm displays
/// (<c>acetaminophen 300 MG / oxycodone hydrochloride 5 MG Oral Tablet</c>), Synthea displays (<c>Sertraline 100MG</c>)
/// and free text (<c>Zoloft 100 mg tablet</c>). A strength is the first "number unit" after a name and before the next name;
/// concentrations and rates (<c>MG/ML</c>, <c>MG/HR</c>) are not per-unit strengths and give no strength.
/// </summary>
internal static class TextMedicationParser
{
    public static List<MedicationComponent> Parse(NameMatcher matcher, string? text)
    {
        var components = new List<MedicationComponent>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return components;
        }

        var tokens = TextTokenizer.Tokenize(text);
        var hits = matcher.FindAll(tokens);
        if (hits.Count == 0)
        {
            return components;
        }

        // Packs ("{35 (lamotrigine 25 MG Oral Tablet) } Pack") hold several strengths: keep the ingredients only.
        var isPack = text.TrimStart().StartsWith('{');
        var isMultiComponent = text.Contains(" / ", StringComparison.Ordinal);
        for (var h = 0; h < hits.Count; h++)
        {
            var hit = hits[h];
            var limit = h + 1 < hits.Count ? hits[h + 1].Start : tokens.Count;
            decimal? strength = null;
            if (!isPack && hit.Phrase.Ingredients.Count == 1)
            {
                strength = ReadStrength(tokens, hit.End, limit);
            }

            foreach (var ingredient in hit.Phrase.Ingredients)
            {
                var existing = components.FindIndex(c => ReferenceEquals(c.Ingredient, ingredient));
                if (existing < 0)
                {
                    components.Add(new MedicationComponent(ingredient, strength));
                }
                else if (components[existing].StrengthMg is null && strength is not null)
                {
                    components[existing] = components[existing] with { StrengthMg = strength };
                }
                else if (isMultiComponent && strength is not null)
                {
                    // Several salts of one ingredient (amphetamine aspartate 7.5 MG / amphetamine sulfate 7.5 MG): add them up.
                    components[existing] = components[existing] with { StrengthMg = components[existing].StrengthMg + strength };
                }
            }
        }

        return components;
    }

    /// <summary>Finds "number unit" in tokens [from, to); returns mg, or null when absent or a concentration/rate.</summary>
    internal static decimal? ReadStrength(IReadOnlyList<TextToken> tokens, int from, int to)
    {
        for (var j = from; j + 1 < to; j++)
        {
            var number = tokens[j];
            if (!number.IsNumber)
            {
                continue;
            }

            var unit = tokens[j + 1];
            var factor = UnitFactor(unit.Text);
            if (factor is null)
            {
                continue;
            }

            if (unit.SlashAfter || number.SlashAfter)
            {
                return null;
            }

            return decimal.TryParse(number.Text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value * factor.Value
                : null;
        }

        return null;
    }

    internal static decimal? UnitFactor(string unit) => unit switch
    {
        "mg" or "milligram" or "milligrams" => 1m,
        "mcg" or "ug" or "microgram" or "micrograms" or "µg" => 0.001m,
        "g" or "gram" or "grams" => 1000m,
        _ => null,
    };
}
