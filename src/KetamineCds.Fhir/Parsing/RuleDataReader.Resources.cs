using System.Text.Json;
using Hl7.Fhir.Model;

namespace KetamineCds.Fhir.Parsing;

/// <summary>
/// The resources the engine reads, with the elements it reads. Required elements (<c>subject</c>, <c>status</c>,
/// <c>code</c>...) are left null (<c>!</c>) when unreadable, as Firely's repair leaves them: every reader of the POCOs
/// already treats them as optional.
/// </summary>
internal static partial class RuleDataReader
{
    private static readonly Shape<Patient> PatientShape = new Shape<Patient>(static () => new())
        .Add("id", static (p, v) => p.Id = String(v))
        .Add("birthDate", static (p, v) => p.BirthDateElement = String(v) is { } birth ? new Date(birth) : null)
        .Choice(
            "deceased",
            ("deceasedBoolean", static (p, v) => p.Deceased = Boolean(v) is { } deceased ? new FhirBoolean(deceased) : null),
            // Present is what counts (the engine reads any deceasedDateTime as deceased): an unreadable date still says the
            // patient died, as with Firely, where the repaired element stays without a value.
            ("deceasedDateTime", static (p, v) => p.Deceased = v.ValueKind == JsonValueKind.Null ? null : new FhirDateTime(String(v))))
        .Add("name", static (p, v) => p.Name = HumanNames(v))
        .Freeze();

    private static readonly Shape<Condition> ConditionShape = new Shape<Condition>(static () => new())
        .Add("id", static (c, v) => c.Id = String(v))
        .Add("subject", static (c, v) => c.Subject = Reference(v)!)
        .Add("code", static (c, v) => c.Code = Concept(v))
        .Add("clinicalStatus", static (c, v) => c.ClinicalStatus = Concept(v))
        .Add("verificationStatus", static (c, v) => c.VerificationStatus = Concept(v))
        .Choice(
            "onset",
            ("onsetDateTime", static (c, v) => c.Onset = DateTime(v)),
            ("onsetPeriod", static (c, v) => c.Onset = Period(v)),
            ("onsetAge", Unread),
            ("onsetRange", Unread),
            ("onsetString", Unread))
        .Freeze();

    private static readonly Shape<MedicationRequest> MedicationRequestShape = new Shape<MedicationRequest>(static () => new())
        .Add("id", static (r, v) => r.Id = String(v))
        .Add("subject", static (r, v) => r.Subject = Reference(v)!)
        .Add("status", static (r, v) => r.StatusElement = Code<MedicationRequest.MedicationrequestStatus>(v)!)
        .Add("intent", static (r, v) => r.IntentElement = Code<MedicationRequest.MedicationRequestIntent>(v)!)
        .Choice(
            "medication",
            ("medicationCodeableConcept", static (r, v) => r.Medication = Concept(v)!),
            ("medicationReference", static (r, v) => r.Medication = Reference(v)!))
        .Add("contained", static (r, v) => r.Contained = ContainedMedications(v))
        .Add("dosageInstruction", static (r, v) => r.DosageInstruction = Dosages(v))
        .Add("dispenseRequest", static (r, v) => r.DispenseRequest = DispenseRequest(v))
        .Add("authoredOn", static (r, v) => r.AuthoredOnElement = DateTime(v))
        .Freeze();

    private static readonly Shape<MedicationRequest.DispenseRequestComponent> DispenseRequestShape = new Shape<MedicationRequest.DispenseRequestComponent>(static () => new())
        .Add("validityPeriod", static (d, v) => d.ValidityPeriod = Period(v))
        .Add("numberOfRepeatsAllowed", static (d, v) => d.NumberOfRepeatsAllowedElement = Integer(v) is { } repeats ? new UnsignedInt(repeats) : null)
        .Add("quantity", static (d, v) => d.Quantity = Quantity(v))
        .Add("expectedSupplyDuration", static (d, v) => d.ExpectedSupplyDuration = Duration(v))
        .Freeze();

    private static readonly Shape<MedicationStatement> MedicationStatementShape = new Shape<MedicationStatement>(static () => new())
        .Add("id", static (s, v) => s.Id = String(v))
        .Add("subject", static (s, v) => s.Subject = Reference(v)!)
        .Add("status", static (s, v) => s.StatusElement = Code<MedicationStatement.MedicationStatusCodes>(v)!)
        .Choice(
            "medication",
            ("medicationCodeableConcept", static (s, v) => s.Medication = Concept(v)!),
            ("medicationReference", static (s, v) => s.Medication = Reference(v)!))
        .Add("contained", static (s, v) => s.Contained = ContainedMedications(v))
        .Choice(
            "effective",
            ("effectiveDateTime", static (s, v) => s.Effective = DateTime(v)),
            ("effectivePeriod", static (s, v) => s.Effective = Period(v)))
        .Add("dateAsserted", static (s, v) => s.DateAssertedElement = DateTime(v))
        .Add("dosage", static (s, v) => s.Dosage = Dosages(v))
        .Freeze();

    private static readonly Shape<MedicationDispense> MedicationDispenseShape = new Shape<MedicationDispense>(static () => new())
        .Add("id", static (d, v) => d.Id = String(v))
        .Add("subject", static (d, v) => d.Subject = Reference(v))
        .Add("status", static (d, v) => d.StatusElement = Code<MedicationDispense.MedicationDispenseStatusCodes>(v)!)
        .Choice(
            "medication",
            ("medicationCodeableConcept", static (d, v) => d.Medication = Concept(v)!),
            ("medicationReference", static (d, v) => d.Medication = Reference(v)!))
        .Add("contained", static (d, v) => d.Contained = ContainedMedications(v))
        .Add("quantity", static (d, v) => d.Quantity = Quantity(v))
        .Add("daysSupply", static (d, v) => d.DaysSupply = Quantity(v))
        .Add("whenPrepared", static (d, v) => d.WhenPreparedElement = DateTime(v))
        .Add("whenHandedOver", static (d, v) => d.WhenHandedOverElement = DateTime(v))
        .Add("dosageInstruction", static (d, v) => d.DosageInstruction = Dosages(v))
        .Freeze();

    private static readonly Shape<Observation> ObservationShape = ObservationValue(new Shape<Observation>(static () => new())
        .Add("id", static (o, v) => o.Id = String(v))
        .Add("subject", static (o, v) => o.Subject = Reference(v))
        .Add("status", static (o, v) => o.StatusElement = Code<ObservationStatus>(v)!)
        .Add("code", static (o, v) => o.Code = Concept(v)!)
        .Choice(
            "effective",
            ("effectiveDateTime", static (o, v) => o.Effective = DateTime(v)),
            ("effectivePeriod", static (o, v) => o.Effective = Period(v)),
            ("effectiveInstant", static (o, v) => o.Effective = Instant(v)),
            ("effectiveTiming", Unread))
        .Add("issued", static (o, v) => o.IssuedElement = Instant(v))
        .Add("component", static (o, v) => o.Component = Components(v)),
        static (o, value) => o.Value = value)
        .Freeze();

    private static readonly Shape<Observation.ComponentComponent> ComponentShape = ObservationValue(
        new Shape<Observation.ComponentComponent>(static () => new()).Add("code", static (c, v) => c.Code = Concept(v)!),
        static (c, value) => c.Value = value)
        .Freeze();

    private static readonly Shape<AllergyIntolerance> AllergyIntoleranceShape = new Shape<AllergyIntolerance>(static () => new())
        .Add("id", static (a, v) => a.Id = String(v))
        .Add("patient", static (a, v) => a.Patient = Reference(v)!)
        .Add("code", static (a, v) => a.Code = Concept(v))
        .Add("clinicalStatus", static (a, v) => a.ClinicalStatus = Concept(v))
        .Add("verificationStatus", static (a, v) => a.VerificationStatus = Concept(v))
        .Add("recordedDate", static (a, v) => a.RecordedDateElement = DateTime(v))
        .Add("reaction", static (a, v) => a.Reaction = Reactions(v))
        .Freeze();

    private static readonly Shape<AllergyIntolerance.ReactionComponent> ReactionShape = new Shape<AllergyIntolerance.ReactionComponent>(static () => new())
        .Add("substance", static (r, v) => r.Substance = Concept(v))
        .Freeze();

    private static readonly Shape<Procedure> ProcedureShape = new Shape<Procedure>(static () => new())
        .Add("id", static (p, v) => p.Id = String(v))
        .Add("subject", static (p, v) => p.Subject = Reference(v)!)
        .Add("status", static (p, v) => p.StatusElement = Code<EventStatus>(v)!)
        .Add("code", static (p, v) => p.Code = Concept(v))
        .Choice(
            "performed",
            ("performedDateTime", static (p, v) => p.Performed = DateTime(v)),
            ("performedPeriod", static (p, v) => p.Performed = Period(v)),
            ("performedString", Unread),
            ("performedAge", Unread),
            ("performedRange", Unread))
        .Freeze();

    private static readonly Shape<Medication> MedicationShape = new Shape<Medication>(static () => new())
        .Add("id", static (m, v) => m.Id = String(v))
        .Add("code", static (m, v) => m.Code = Concept(v))
        .Add("ingredient", static (m, v) => m.Ingredient = Ingredients(v))
        .Freeze();

    private static readonly Shape<Medication.IngredientComponent> IngredientShape = new Shape<Medication.IngredientComponent>(static () => new())
        .Choice(
            "item",
            ("itemCodeableConcept", static (i, v) => i.Item = Concept(v)!),
            ("itemReference", static (i, v) => i.Item = Reference(v)!))
        .Add("strength", static (i, v) => i.Strength = Ratio(v))
        .Freeze();

    /// <summary>
    /// Observation's value[x] (and a component's): Quantity, integer and CodeableConcept are read; the other R4 choices
    /// (R4 has no valueDecimal) read as absent but still count as the one value.
    /// </summary>
    private static Shape<T> ObservationValue<T>(Shape<T> shape, Action<T, DataType?> set)
        where T : class => shape.Choice(
        "value",
        ("valueQuantity", (t, v) => set(t, Quantity(v))),
        ("valueInteger", (t, v) => set(t, Integer(v) is { } number ? new Integer(number) : null)),
        ("valueCodeableConcept", (t, v) => set(t, Concept(v))),
        ("valueString", Unread),
        ("valueBoolean", Unread),
        ("valueRange", Unread),
        ("valueRatio", Unread),
        ("valueSampledData", Unread),
        ("valueTime", Unread),
        ("valueDateTime", Unread),
        ("valuePeriod", Unread));

    /// <summary>The contained resources a reference may name (<c>#id</c>): only Medications are ever looked up.</summary>
    private static List<Resource> ContainedMedications(JsonElement json)
    {
        var result = new List<Resource>(Capacity(json));
        AddItems(json, static item => item.TryGetProperty("resourceType"u8, out var type) && type.ValueEquals("Medication"u8) ? Medication(item) : null, result);
        return result;
    }
}
