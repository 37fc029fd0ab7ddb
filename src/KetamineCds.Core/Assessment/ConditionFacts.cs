using Hl7.Fhir.Model;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>
/// The patient's conditions matched against the concept sets. A refuted or entered-in-error condition never counts;
/// a resolved / inactive / remission one counts only for "history of" sets (e.g. intracerebral hemorrhage).
/// </summary>
internal sealed class ConditionFacts
{
    private readonly List<ConditionEvidence> _evidence;

    private ConditionFacts(List<ConditionEvidence> evidence, ulong mask, List<string> withoutStandardCode)
    {
        _evidence = evidence;
        Mask = mask;
        WithoutStandardCode = withoutStandardCode;
    }

    /// <summary>
    /// Active, not refuted conditions with no SNOMED CT or ICD-10-CM code (text only, or local codes only): the rules
    /// could not check them. Their text (markdown-escaped) and onset, for the card that says so; never guessed from text.
    /// </summary>
    public IReadOnlyList<string> WithoutStandardCode { get; }

    /// <summary>Bit mask of the concept sets with at least one counting condition.</summary>
    public ulong Mask { get; }

    public static ConditionFacts Build(KnowledgeBase knowledge, IEnumerable<Condition> conditions)
    {
        var evidence = new List<ConditionEvidence>();
        var withoutStandardCode = new List<string>();
        ulong mask = 0;
        foreach (var condition in conditions)
        {
            if (condition?.Code is null || IsRefuted(condition.VerificationStatus))
            {
                continue;
            }

            var active = IsActive(condition.ClinicalStatus);
            if (active && !HasStandardCode(condition.Code) && HasReadableContent(condition.Code))
            {
                var onset = FhirDates.Start(condition.Onset);
                withoutStandardCode.Add(MarkdownText.Escape(Text(condition)) + (onset is null ? "" : $" (onset {FhirDates.Format(onset)})"));
            }

            foreach (var coding in condition.Code.Coding)
            {
                if (coding is null)
                {
                    continue;
                }

                var codingMask = knowledge.Match(coding.System, coding.Code);
                if (codingMask == 0)
                {
                    continue;
                }

                for (var bits = codingMask; bits != 0; bits &= bits - 1)
                {
                    var set = knowledge.ConceptSetsByBit[System.Numerics.BitOperations.TrailingZeroCount(bits)];
                    var text = MarkdownText.Escape(Text(condition));
                    if ((!active && !set.History) || evidence.Exists(e => e.Set == set && e.Text == text))
                    {
                        continue;
                    }

                    // Text and code come from the EHR and are only ever shown in card markdown: escaped once, here.
                    evidence.Add(new ConditionEvidence(
                        set,
                        text,
                        MarkdownText.Escape(CodeSystems.Describe(coding.System, coding.Code)),
                        CodeSystems.Key(coding.System, coding.Code)!,
                        FhirDates.Start(condition.Onset),
                        active));
                    mask |= set.Mask;
                }
            }
        }

        return new ConditionFacts(evidence, mask, withoutStandardCode);
    }

    /// <summary>Something a clinician can recognise: text, or a coding with a display or a code (an empty or unreadable code is not).</summary>
    private static bool HasReadableContent(CodeableConcept code)
        => !string.IsNullOrWhiteSpace(code.Text)
           || code.Coding.Exists(c => c is not null && (!string.IsNullOrWhiteSpace(c.Display) || !string.IsNullOrWhiteSpace(c.Code)));

    /// <summary>A coding the rules can read: SNOMED CT or ICD-10-CM, with a code.</summary>
    private static bool HasStandardCode(CodeableConcept code)
        => code.Coding.Exists(c => c is not null && !string.IsNullOrWhiteSpace(c.Code) && c.System is CodeSystems.Snomed or CodeSystems.Icd10Cm);

    public bool Has(ConceptSet set) => (Mask & set.Mask) != 0;

    public IEnumerable<ConditionEvidence> For(ConceptSet set) => _evidence.Where(e => e.Set == set);

    public static bool IsActive(CodeableConcept? clinicalStatus)
    {
        var code = clinicalStatus?.Coding.FirstOrDefault(c => !string.IsNullOrEmpty(c?.Code))?.Code;
        return code is null or "active" or "recurrence" or "relapse";
    }

    public static bool IsRefuted(CodeableConcept? verificationStatus)
    {
        var code = verificationStatus?.Coding.FirstOrDefault(c => !string.IsNullOrEmpty(c?.Code))?.Code;
        return code is "refuted" or "entered-in-error";
    }

    private static string Text(Condition condition) =>
        condition.Code?.Text
        ?? condition.Code?.Coding.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c?.Display))?.Display
        ?? condition.Code?.Coding.FirstOrDefault()?.Code
        ?? "condition";
}
