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
        .Add("resourceType", Unread) // read by FindResourceType; listed so that a second one makes the resource unreadable
        .Add("id", static (p, ref v) => p.Id = String(ref v))
        .Add("birthDate", static (p, ref v) => p.BirthDateElement = String(ref v) is { } birth ? new Date(birth) : null)
        .Choice(
            "deceased",
            ("deceasedBoolean", static (p, ref v) => p.Deceased = Boolean(ref v) is { } deceased ? new FhirBoolean(deceased) : null),
            // Present is what counts (the engine reads any deceasedDateTime as deceased): an unreadable date still says the
            // patient died, as with Firely, where the repaired element stays without a value.
            ("deceasedDateTime", static (p, ref v) => p.Deceased = v.TokenType == JsonTokenType.Null ? null : new FhirDateTime(String(ref v))))
        .Add("name", static (p, ref v) => p.Name = HumanNames(ref v))
        .Freeze();

    private static readonly Shape<Condition> ConditionShape = new Shape<Condition>(static () => new())
        .Add("resourceType", Unread)
        .Add("id", static (c, ref v) => c.Id = String(ref v))
        .Add("subject", static (c, ref v) => c.Subject = Reference(ref v)!)
        .Add("code", static (c, ref v) => c.Code = Concept(ref v))
        .Add("clinicalStatus", static (c, ref v) => c.ClinicalStatus = Concept(ref v))
        .Add("verificationStatus", static (c, ref v) => c.VerificationStatus = Concept(ref v))
        .Choice(
            "onset",
            ("onsetDateTime", static (c, ref v) => c.Onset = DateTime(ref v)),
            ("onsetPeriod", static (c, ref v) => c.Onset = Period(ref v)),
            ("onsetAge", Unread),
            ("onsetRange", Unread),
            ("onsetString", Unread))
        .Freeze();

    private static readonly Shape<MedicationRequest> MedicationRequestShape = new Shape<MedicationRequest>(static () => new())
        .Add("resourceType", Unread)
        .Add("id", static (r, ref v) => r.Id = String(ref v))
        .Add("subject", static (r, ref v) => r.Subject = Reference(ref v)!)
        .Add("status", static (r, ref v) => r.StatusElement = Code<MedicationRequest.MedicationrequestStatus>(ref v)!)
        .Add("intent", static (r, ref v) => r.IntentElement = Code<MedicationRequest.MedicationRequestIntent>(ref v)!)
        .Choice(
            "medication",
            ("medicationCodeableConcept", static (r, ref v) => r.Medication = Concept(ref v)!),
            ("medicationReference", static (r, ref v) => r.Medication = Reference(ref v)!))
        .Add("contained", static (r, ref v) => r.Contained = ContainedMedications(ref v))
        .Add("dosageInstruction", static (r, ref v) => r.DosageInstruction = Dosages(ref v))
        .Add("dispenseRequest", static (r, ref v) => r.DispenseRequest = DispenseRequest(ref v))
        .Add("authoredOn", static (r, ref v) => r.AuthoredOnElement = DateTime(ref v))
        .Freeze();

    private static readonly Shape<MedicationRequest.DispenseRequestComponent> DispenseRequestShape = new Shape<MedicationRequest.DispenseRequestComponent>(static () => new())
        .Add("validityPeriod", static (d, ref v) => d.ValidityPeriod = Period(ref v))
        .Add("numberOfRepeatsAllowed", static (d, ref v) => d.NumberOfRepeatsAllowedElement = Integer(ref v) is { } repeats ? new UnsignedInt(repeats) : null)
        .Add("quantity", static (d, ref v) => d.Quantity = Quantity(ref v))
        .Add("expectedSupplyDuration", static (d, ref v) => d.ExpectedSupplyDuration = Duration(ref v))
        .Freeze();

    private static readonly Shape<MedicationStatement> MedicationStatementShape = new Shape<MedicationStatement>(static () => new())
        .Add("resourceType", Unread)
        .Add("id", static (s, ref v) => s.Id = String(ref v))
        .Add("subject", static (s, ref v) => s.Subject = Reference(ref v)!)
        .Add("status", static (s, ref v) => s.StatusElement = Code<MedicationStatement.MedicationStatusCodes>(ref v)!)
        .Choice(
            "medication",
            ("medicationCodeableConcept", static (s, ref v) => s.Medication = Concept(ref v)!),
            ("medicationReference", static (s, ref v) => s.Medication = Reference(ref v)!))
        .Add("contained", static (s, ref v) => s.Contained = ContainedMedications(ref v))
        .Choice(
            "effective",
            ("effectiveDateTime", static (s, ref v) => s.Effective = DateTime(ref v)),
            ("effectivePeriod", static (s, ref v) => s.Effective = Period(ref v)))
        .Add("dateAsserted", static (s, ref v) => s.DateAssertedElement = DateTime(ref v))
        .Add("dosage", static (s, ref v) => s.Dosage = Dosages(ref v))
        .Freeze();

    private static readonly Shape<MedicationDispense> MedicationDispenseShape = new Shape<MedicationDispense>(static () => new())
        .Add("resourceType", Unread)
        .Add("id", static (d, ref v) => d.Id = String(ref v))
        .Add("subject", static (d, ref v) => d.Subject = Reference(ref v))
        .Add("status", static (d, ref v) => d.StatusElement = Code<MedicationDispense.MedicationDispenseStatusCodes>(ref v)!)
        .Choice(
            "medication",
            ("medicationCodeableConcept", static (d, ref v) => d.Medication = Concept(ref v)!),
            ("medicationReference", static (d, ref v) => d.Medication = Reference(ref v)!))
        .Add("contained", static (d, ref v) => d.Contained = ContainedMedications(ref v))
        .Add("quantity", static (d, ref v) => d.Quantity = Quantity(ref v))
        .Add("daysSupply", static (d, ref v) => d.DaysSupply = Quantity(ref v))
        .Add("whenPrepared", static (d, ref v) => d.WhenPreparedElement = DateTime(ref v))
        .Add("whenHandedOver", static (d, ref v) => d.WhenHandedOverElement = DateTime(ref v))
        .Add("dosageInstruction", static (d, ref v) => d.DosageInstruction = Dosages(ref v))
        .Freeze();

    private static readonly Shape<Observation> ObservationShape = ObservationValue(new Shape<Observation>(static () => new())
        .Add("resourceType", Unread)
        .Add("id", static (o, ref v) => o.Id = String(ref v))
        .Add("subject", static (o, ref v) => o.Subject = Reference(ref v))
        .Add("status", static (o, ref v) => o.StatusElement = Code<ObservationStatus>(ref v)!)
        .Add("code", static (o, ref v) => o.Code = Concept(ref v)!)
        .Choice(
            "effective",
            ("effectiveDateTime", static (o, ref v) => o.Effective = DateTime(ref v)),
            ("effectivePeriod", static (o, ref v) => o.Effective = Period(ref v)),
            ("effectiveInstant", static (o, ref v) => o.Effective = Instant(ref v)),
            ("effectiveTiming", Unread))
        .Add("issued", static (o, ref v) => o.IssuedElement = Instant(ref v))
        .Add("component", static (o, ref v) => o.Component = Components(ref v)),
        static (o, value) => o.Value = value)
        .Freeze();

    private static readonly Shape<Observation.ComponentComponent> ComponentShape = ObservationValue(
        new Shape<Observation.ComponentComponent>(static () => new()).Add("code", static (c, ref v) => c.Code = Concept(ref v)!),
        static (c, value) => c.Value = value)
        .Freeze();

    private static readonly Shape<AllergyIntolerance> AllergyIntoleranceShape = new Shape<AllergyIntolerance>(static () => new())
        .Add("resourceType", Unread)
        .Add("id", static (a, ref v) => a.Id = String(ref v))
        .Add("patient", static (a, ref v) => a.Patient = Reference(ref v)!)
        .Add("code", static (a, ref v) => a.Code = Concept(ref v))
        .Add("clinicalStatus", static (a, ref v) => a.ClinicalStatus = Concept(ref v))
        .Add("verificationStatus", static (a, ref v) => a.VerificationStatus = Concept(ref v))
        .Add("recordedDate", static (a, ref v) => a.RecordedDateElement = DateTime(ref v))
        .Add("reaction", static (a, ref v) => a.Reaction = Reactions(ref v))
        .Freeze();

    private static readonly Shape<AllergyIntolerance.ReactionComponent> ReactionShape = new Shape<AllergyIntolerance.ReactionComponent>(static () => new())
        .Add("substance", static (r, ref v) => r.Substance = Concept(ref v))
        .Freeze();

    private static readonly Shape<Procedure> ProcedureShape = new Shape<Procedure>(static () => new())
        .Add("resourceType", Unread)
        .Add("id", static (p, ref v) => p.Id = String(ref v))
        .Add("subject", static (p, ref v) => p.Subject = Reference(ref v)!)
        .Add("status", static (p, ref v) => p.StatusElement = Code<EventStatus>(ref v)!)
        .Add("code", static (p, ref v) => p.Code = Concept(ref v))
        .Choice(
            "performed",
            ("performedDateTime", static (p, ref v) => p.Performed = DateTime(ref v)),
            ("performedPeriod", static (p, ref v) => p.Performed = Period(ref v)),
            ("performedString", Unread),
            ("performedAge", Unread),
            ("performedRange", Unread))
        .Freeze();

    private static readonly Shape<Medication> MedicationShape = new Shape<Medication>(static () => new())
        .Add("resourceType", Unread)
        .Add("id", static (m, ref v) => m.Id = String(ref v))
        .Add("code", static (m, ref v) => m.Code = Concept(ref v))
        .Add("ingredient", static (m, ref v) => m.Ingredient = Ingredients(ref v))
        .Freeze();

    private static readonly Shape<Medication.IngredientComponent> IngredientShape = new Shape<Medication.IngredientComponent>(static () => new())
        .Choice(
            "item",
            ("itemCodeableConcept", static (i, ref v) => i.Item = Concept(ref v)!),
            ("itemReference", static (i, ref v) => i.Item = Reference(ref v)!))
        .Add("strength", static (i, ref v) => i.Strength = Ratio(ref v))
        .Freeze();

    /// <summary>
    /// Observation's value[x] (and a component's): Quantity, integer and CodeableConcept are read; the other R4 choices
    /// (R4 has no valueDecimal) read as absent but still count as the one value.
    /// </summary>
    private static Shape<T> ObservationValue<T>(Shape<T> shape, Action<T, DataType?> set)
        where T : class => shape.Choice(
        "value",
        ("valueQuantity", (t, ref v) => set(t, Quantity(ref v))),
        ("valueInteger", (t, ref v) => set(t, Integer(ref v) is { } number ? new Integer(number) : null)),
        ("valueCodeableConcept", (t, ref v) => set(t, Concept(ref v))),
        ("valueString", Unread),
        ("valueBoolean", Unread),
        ("valueRange", Unread),
        ("valueRatio", Unread),
        ("valueSampledData", Unread),
        ("valueTime", Unread),
        ("valueDateTime", Unread),
        ("valuePeriod", Unread));

    /// <summary>The contained resources a reference may name (<c>#id</c>): only Medications are ever looked up.</summary>
    private static List<Resource> ContainedMedications(ref Utf8JsonReader json)
    {
        var result = new List<Resource>();
        AddItems(ref json, ContainedMedicationReader, result);
        return result;
    }

    private static readonly ObjectReader<Resource> ContainedMedicationReader = ContainedMedication;

    /// <summary>
    /// A contained resource if it is a Medication (anything else is skipped); a resourceType that is not a string makes
    /// the containing resource unreadable, as Firely rejects it.
    /// </summary>
    private static Medication? ContainedMedication(ref Utf8JsonReader json)
    {
        var type = FindResourceType(json, out var found);
        if (found && type is null)
        {
            throw new FormatException("A contained resource's resourceType is not a string.");
        }

        if (type != "Medication")
        {
            json.Skip();
            return null;
        }

        return Medication(ref json);
    }
}
