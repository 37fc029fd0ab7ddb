using Hl7.Fhir.Model;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>An electroconvulsive therapy Procedure that counts (status completed or in-progress).</summary>
/// <param name="Text">The procedure as the record names it, escaped for card markdown.</param>
/// <param name="Code">The knowledge-base code it matched (card form, display, status, source).</param>
/// <param name="Status">The Procedure's status (completed or in-progress).</param>
/// <param name="Start">performed[x] start, when known.</param>
/// <param name="End">performed[x] end (the instant itself for a dateTime), when known.</param>
/// <param name="Bilateral">One of its codes is in the <c>ect-bilateral</c> set (SNOMED CT 284468008, ICD-10-PCS GZB2ZZZ).</param>
internal sealed record EctProcedure(string Text, ListedCode Code, string Status, DateTimeOffset? Start, DateTimeOffset? End, bool Bilateral)
{
    /// <summary>The latest known instant of the procedure (end, else start).</summary>
    public DateTimeOffset? When => End ?? Start;

    /// <summary>Card text: name, date, code with its status and source, procedure status.</summary>
    public string Describe() =>
        $"{Text} on {FhirDates.Format(When)} ({Code.Describe}, code status {Code.StatusText} [{Code.Source}]; procedure {Status})";
}

/// <summary>
/// The patient's ECT procedures, matched against the <c>ect</c> concept set (clinical-criteria.md 9.3: no published
/// value set; SNOMED CT, ICD-10-PCS and CPT codes with their status). Only status completed or in-progress counts:
/// preparation, not-done, on-hold, stopped, entered-in-error, unknown and a missing status do not.
/// </summary>
internal sealed class EctFacts
{
    private EctFacts(IReadOnlyList<EctProcedure> procedures, bool available)
    {
        Procedures = procedures;
        Available = available;
    }

    /// <summary>No procedure history (e.g. in unit tests that pass none).</summary>
    public static EctFacts None { get; } = new([], true);

    /// <summary>The procedure history could not be obtained from the EHR.</summary>
    public static EctFacts Unavailable { get; } = new([], false);

    public IReadOnlyList<EctProcedure> Procedures { get; }

    /// <summary>False when the EHR could not supply procedures: then "no ECT" is unknown, not a finding.</summary>
    public bool Available { get; }

    public static EctFacts Build(KnowledgeBase knowledge, IEnumerable<Procedure> procedures)
    {
        var ect = knowledge.Concept(ConceptIds.Ect);
        var bilateral = knowledge.Concept(ConceptIds.EctBilateral);
        var result = new List<EctProcedure>();
        foreach (var procedure in procedures)
        {
            if (procedure?.Code is null || procedure.Status is not (EventStatus.Completed or EventStatus.InProgress))
            {
                continue;
            }

            ListedCode? matched = null;
            var isBilateral = false;
            foreach (var coding in procedure.Code.Coding)
            {
                if (coding is null)
                {
                    continue;
                }

                var mask = knowledge.Match(coding.System, coding.Code);
                isBilateral |= (mask & bilateral.Mask) != 0;
                if ((mask & ect.Mask) != 0
                    && ect.ListedCodes.TryGetValue(CodeSystems.Key(coding.System, coding.Code)!, out var listed)
                    && (matched is null || listed.Status < matched.Status))
                {
                    matched = listed; // the best-verified of the procedure's codes is the one named
                }
            }

            if (matched is not null)
            {
                result.Add(new EctProcedure(
                    MarkdownText.Escape(Text(procedure, matched)),
                    matched,
                    procedure.Status == EventStatus.Completed ? "completed" : "in-progress",
                    FhirDates.Start(procedure.Performed),
                    FhirDates.End(procedure.Performed),
                    isBilateral));
            }
        }

        return new EctFacts(result, true);
    }

    private static string Text(Procedure procedure, ListedCode code) =>
        procedure.Code?.Text
        ?? procedure.Code?.Coding.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c?.Display))?.Display
        ?? code.Display
        ?? "electroconvulsive therapy";
}
