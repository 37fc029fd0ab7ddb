using Hl7.Fhir.Model;
using KetamineCds.Core.Knowledge;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Medications;

/// <summary>
/// Recognises ingredients: by RxNorm code (ingredient, SCD/SBD product, Synthea code), else by generic or brand name in
/// coding.display / text. Resolves <c>medicationReference</c> to a contained or bundled Medication. Stateless and thread-safe.
/// </summary>
internal sealed class MedicationRecognizer(KnowledgeBase knowledge)
{
    /// <summary>Recognises the <c>medication[x]</c> of a MedicationRequest/Statement/Dispense.</summary>
    public RecognizedMedication Recognize(DataType? medication, DomainResource? owner, PatientRecord record)
    {
        switch (medication)
        {
            case CodeableConcept concept:
                return Recognize(concept, null);
            case ResourceReference reference:
                var resolved = Resolve(reference, owner, record);
                if (resolved is not null)
                {
                    var fromMedication = Recognize(resolved.Code, resolved);
                    if (fromMedication.IsKnown)
                    {
                        return fromMedication;
                    }
                }

                return string.IsNullOrWhiteSpace(reference.Display)
                    ? RecognizedMedication.Unknown
                    : FromText(reference.Display, null);
            default:
                return RecognizedMedication.Unknown;
        }
    }

    /// <summary>Recognises a code (and optionally the Medication resource it came from, for ingredients and strengths).</summary>
    public RecognizedMedication Recognize(CodeableConcept? concept, Medication? medication)
    {
        var text = concept?.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            text = concept?.Coding.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c?.Display))?.Display;
        }

        List<MedicationComponent>? components = null;
        var byCode = false;
        if (concept is not null)
        {
            foreach (var coding in concept.Coding)
            {
                if (coding is null || !CodeSystems.IsRxNorm(coding.System) || string.IsNullOrWhiteSpace(coding.Code))
                {
                    continue;
                }

                if (knowledge.Products.TryGetValue(coding.Code.Trim(), out var product))
                {
                    byCode = true;
                    components = Merge(components, product.Components);
                }
            }
        }

        // Text: fills in ingredients when no code was known, and strengths the code did not give.
        if (components is null || components.Any(c => c.StrengthMg is null && c.MgPerMl is null))
        {
            foreach (var candidate in TextCandidates(concept))
            {
                var parsed = TextMedicationParser.Parse(knowledge.Names, candidate);
                if (parsed.Count == 0)
                {
                    continue;
                }

                components = components is null ? parsed : FillStrengths(components, parsed);
                if (components.All(c => c.StrengthMg is not null || c.MgPerMl is not null))
                {
                    break;
                }
            }
        }

        if (medication is not null)
        {
            components = AddMedicationIngredients(components, medication);
        }

        return components is { Count: > 0 }
            ? new RecognizedMedication(components, text, byCode)
            : new RecognizedMedication([], text, false);
    }

    private RecognizedMedication FromText(string text, Medication? medication)
    {
        var parsed = TextMedicationParser.Parse(knowledge.Names, text);
        if (medication is not null)
        {
            parsed = AddMedicationIngredients(parsed, medication) ?? parsed;
        }

        return new RecognizedMedication(parsed, text, false);
    }

    private List<MedicationComponent>? AddMedicationIngredients(List<MedicationComponent>? components, Medication medication)
    {
        foreach (var ingredient in medication.Ingredient)
        {
            if (ingredient?.Item is not CodeableConcept item)
            {
                continue;
            }

            var recognized = Recognize(item, null);
            if (!recognized.IsKnown)
            {
                continue;
            }

            var (strength, perMl) = StrengthFromRatio(ingredient.Strength);
            var withStrength = recognized.Components
                .Select(c => recognized.Components.Count == 1 && (strength ?? perMl) is not null ? c with { StrengthMg = strength, MgPerMl = perMl } : c)
                .ToList();
            components = components is null ? withStrength : FillStrengths(Merge(components, withStrength), withStrength);
        }

        return components;
    }

    /// <summary>Ingredient strength ratio: mg per unit (tablet...), or mg per mL for a liquid.</summary>
    private static (decimal? StrengthMg, decimal? MgPerMl) StrengthFromRatio(Ratio? ratio)
    {
        if (ratio?.Numerator?.Value is not { } value)
        {
            return (null, null);
        }

        var factor = TextMedicationParser.UnitFactor((ratio.Numerator.Code ?? ratio.Numerator.Unit ?? string.Empty).Trim().ToLowerInvariant());
        if (factor is null)
        {
            return (null, null);
        }

        var denominator = ratio.Denominator?.Value ?? 1m;
        var denominatorUnit = ratio.Denominator?.Code ?? ratio.Denominator?.Unit;
        if (denominator <= 0)
        {
            return (null, null);
        }

        if (DoseCalculator.IsCountUnit(denominatorUnit))
        {
            return (value * factor.Value / denominator, null);
        }

        return TextMedicationParser.VolumeFactorMl(denominatorUnit!.Trim().ToLowerInvariant()) is { } ml
            ? (null, value * factor.Value / (denominator * ml))
            : (null, null);
    }

    private static IEnumerable<string> TextCandidates(CodeableConcept? concept)
    {
        if (concept is null)
        {
            yield break;
        }

        foreach (var coding in concept.Coding)
        {
            if (!string.IsNullOrWhiteSpace(coding?.Display))
            {
                yield return coding.Display;
            }
        }

        if (!string.IsNullOrWhiteSpace(concept.Text))
        {
            yield return concept.Text;
        }
    }

    private static List<MedicationComponent> Merge(List<MedicationComponent>? existing, IReadOnlyList<MedicationComponent> more)
    {
        var result = existing ?? [];
        foreach (var component in more)
        {
            var index = result.FindIndex(c => ReferenceEquals(c.Ingredient, component.Ingredient));
            if (index < 0)
            {
                result.Add(component);
            }
            else if (result[index].StrengthMg is null && result[index].MgPerMl is null && (component.StrengthMg ?? component.MgPerMl) is not null)
            {
                result[index] = component;
            }
        }

        return result;
    }

    private static List<MedicationComponent> FillStrengths(List<MedicationComponent> components, IReadOnlyList<MedicationComponent> parsed)
    {
        for (var i = 0; i < components.Count; i++)
        {
            if (components[i].StrengthMg is not null || components[i].MgPerMl is not null)
            {
                continue;
            }

            var match = parsed.FirstOrDefault(p => ReferenceEquals(p.Ingredient, components[i].Ingredient) && (p.StrengthMg ?? p.MgPerMl) is not null);
            if (match is not null)
            {
                components[i] = match;
            }
        }

        return components;
    }

    private static Medication? Resolve(ResourceReference reference, DomainResource? owner, PatientRecord record)
    {
        var target = reference.Reference;
        if (string.IsNullOrWhiteSpace(target))
        {
            return null;
        }

        if (target.StartsWith('#'))
        {
            var id = target[1..];
            return owner?.Contained.OfType<Medication>().FirstOrDefault(m => m.Id == id);
        }

        if (record.Medications.TryGetValue(target, out var medication))
        {
            return medication;
        }

        // Absolute URL or versioned reference: try the "Medication/{id}" tail.
        var parts = target.Split('/');
        for (var i = parts.Length - 2; i >= 0; i--)
        {
            if (parts[i] == "Medication")
            {
                return record.Medications.GetValueOrDefault("Medication/" + parts[i + 1]);
            }
        }

        return null;
    }
}
