using Hl7.Fhir.Model;
using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Assessment;

/// <summary>PHQ-9 totals, blood pressure readings and pregnancy status read from Observations (cancelled / entered-in-error skipped).</summary>
internal sealed class ObservationFacts
{
    public List<ObservationValue> Phq9 { get; } = [];

    public List<ObservationValue> Systolic { get; } = [];

    public List<ObservationValue> Diastolic { get; } = [];

    /// <summary>Pregnancy status observations: time and whether the answer was "pregnant".</summary>
    public List<(DateTimeOffset When, bool Pregnant)> PregnancyStatus { get; } = [];

    public static ObservationFacts Build(KnowledgeBase knowledge, IEnumerable<Observation> observations)
    {
        var facts = new ObservationFacts();
        var phq9 = knowledge.Concept(ConceptIds.Phq9Total).Mask;
        var systolic = knowledge.Concept(ConceptIds.SystolicBp).Mask;
        var diastolic = knowledge.Concept(ConceptIds.DiastolicBp).Mask;
        var pregnancyStatus = knowledge.Concept(ConceptIds.PregnancyStatus).Mask;
        var pregnant = knowledge.Concept(ConceptIds.PregnantAnswer).Mask;
        foreach (var observation in observations)
        {
            if (observation is null || observation.Status is ObservationStatus.Cancelled or ObservationStatus.EnteredInError)
            {
                continue;
            }

            var when = FhirDates.Start(observation.Effective) ?? observation.Issued;
            if (when is null)
            {
                continue;
            }

            var mask = knowledge.Match(observation.Code);
            if ((mask & phq9) != 0 && Number(observation.Value) is { } score)
            {
                facts.Phq9.Add(new ObservationValue(when.Value, score));
            }

            if ((mask & systolic) != 0 && Number(observation.Value) is { } sys)
            {
                facts.Systolic.Add(new ObservationValue(when.Value, sys));
            }

            if ((mask & diastolic) != 0 && Number(observation.Value) is { } dia)
            {
                facts.Diastolic.Add(new ObservationValue(when.Value, dia));
            }

            if ((mask & pregnancyStatus) != 0 && observation.Value is CodeableConcept answer)
            {
                facts.PregnancyStatus.Add((when.Value, (knowledge.Match(answer) & pregnant) != 0));
            }

            foreach (var component in observation.Component)
            {
                if (component is null)
                {
                    continue;
                }

                var componentMask = knowledge.Match(component.Code);
                if ((componentMask & systolic) != 0 && Number(component.Value) is { } cs)
                {
                    facts.Systolic.Add(new ObservationValue(when.Value, cs));
                }

                if ((componentMask & diastolic) != 0 && Number(component.Value) is { } cd)
                {
                    facts.Diastolic.Add(new ObservationValue(when.Value, cd));
                }
            }
        }

        return facts;
    }

    private static decimal? Number(DataType? value) => value switch
    {
        Quantity q => q.Value,
        Integer i => i.Value,
        FhirDecimal d => d.Value,
        _ => null,
    };
}
