namespace KetamineCds.Core.Medications;

/// <summary>
/// Reads ingredients and per-unit strengths out of drug text: RxNorm displays
/// (<c>acetaminophen 300 MG / oxycodone hydrochloride 5 MG Oral Tablet</c>), Synthea displays (<c>Sertraline 100MG</c>)
/// and free text (<c>Zoloft 100 mg tablet</c>). A strength is the first "number unit" after a name and before the next name;
/// rates (<c>MG/HR</c>) give no strength, and a concentration (<c>citalopram 2 MG/ML Oral Solution</c>) gives mg per mL
/// instead of a per-unit strength.
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
            decimal? perMl = null;
            if (!isPack && hit.Phrase.Ingredients.Count == 1)
            {
                strength = ReadStrength(tokens, hit.End, limit);
                perMl = strength is null ? ReadConcentration(tokens, hit.End, limit) : null;
            }

            foreach (var ingredient in hit.Phrase.Ingredients)
            {
                var existing = components.FindIndex(c => ReferenceEquals(c.Ingredient, ingredient));
                if (existing < 0)
                {
                    components.Add(new MedicationComponent(ingredient, strength, perMl));
                }
                else if (components[existing].StrengthMg is null && strength is not null)
                {
                    components[existing] = components[existing] with { StrengthMg = strength };
                }
                else if (components[existing].MgPerMl is null && perMl is not null)
                {
                    components[existing] = components[existing] with { MgPerMl = perMl };
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

    /// <summary>Finds the first "number mass-unit/ML" (a concentration such as <c>2 MG/ML</c>) in tokens [from, to); returns mg per mL.</summary>
    internal static decimal? ReadConcentration(IReadOnlyList<TextToken> tokens, int from, int to)
    {
        for (var j = from; j + 2 < to; j++)
        {
            var number = tokens[j];
            var unit = tokens[j + 1];
            if (!number.IsNumber || number.SlashAfter || !unit.SlashAfter || UnitFactor(unit.Text) is not { } factor)
            {
                continue;
            }

            if (VolumeFactorMl(tokens[j + 2].Text) is not { } perVolume
                || !decimal.TryParse(number.Text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            return value * factor / perVolume;
        }

        return null;
    }

    /// <summary>
    /// mL per unit of volume (UCUM <c>mL</c>, <c>L</c>, <c>cL</c>, <c>dL</c> and the spelled-out forms), lower case; null when not a volume.
    /// A four-entry table instead of a UCUM engine: doses in the record use only these few volume units.
    /// </summary>
    internal static decimal? VolumeFactorMl(string unit) => unit switch
    {
        "ml" or "milliliter" or "milliliters" or "millilitre" or "millilitres" or "cc" => 1m,
        "l" or "liter" or "liters" or "litre" or "litres" => 1000m,
        "dl" => 100m,
        "cl" => 10m,
        _ => null,
    };

    internal static decimal? UnitFactor(string unit) => unit switch
    {
        "mg" or "milligram" or "milligrams" => 1m,
        "mcg" or "ug" or "microgram" or "micrograms" or "µg" => 0.001m,
        "g" or "gram" or "grams" => 1000m,
        _ => null,
    };
}
