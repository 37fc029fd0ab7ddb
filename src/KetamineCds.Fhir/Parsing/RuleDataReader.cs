using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace KetamineCds.Fhir.Parsing;

/// <summary>
/// Reads the resource types the engine uses straight from the JSON into Firely POCOs holding only the elements that the
/// engine, the patient-scope check and the SMART page read (the list below; RuleDataReaderTests compare the engine's
/// answers with full Firely parsing on every fixture and on hostile variants of them). About 10x faster
/// than Firely's reflection-driven deserializer, which allocates ~9 bytes per byte of JSON (docs/performance.md).
/// </summary>
/// <remarks>
/// Same reading rules as <see cref="FhirResourceParser"/> with <see cref="Core.Model.FhirRepair"/>: an element of the
/// wrong JSON type or shape, a number that does not fit, an unknown code, reads as absent; the rest of the resource is
/// kept. A property given twice in an object this reader reads makes the resource unreadable (which value is meant is
/// unknowable), as Firely rejects it. Required elements (<c>subject</c>, <c>status</c>, <c>code</c>...) are left null
/// (<c>!</c>) when unreadable, as the repair leaves them: every reader of the POCOs already treats them as optional.
/// Hand-written because no library maps FHIR JSON to POCOs selectively.
/// <para>
/// Elements read: every type: <c>id</c>, <c>subject</c> (AllergyIntolerance: <c>patient</c>), <c>code</c>, <c>status</c>.
/// Patient: birthDate, deceased[x], name (family, given). Condition: clinicalStatus, verificationStatus, onset[x].
/// MedicationRequest: intent, medication[x], contained Medications, dosageInstruction, dispenseRequest
/// (validityPeriod, numberOfRepeatsAllowed, quantity, expectedSupplyDuration), authoredOn. MedicationStatement:
/// medication[x], contained, effective[x], dateAsserted, dosage. MedicationDispense: medication[x], contained,
/// quantity, daysSupply, whenPrepared, whenHandedOver, dosageInstruction. Observation: effective[x], issued, value[x]
/// (Quantity, integer, CodeableConcept), component (code, value[x]). AllergyIntolerance: clinicalStatus,
/// verificationStatus, recordedDate, reaction.substance. Procedure: performed[x]. Medication: ingredient (item[x],
/// strength). Dosage: asNeeded[x], timing (repeat: bounds[x], frequency, period, periodUnit; code), doseAndRate.dose[x].
/// </para>
/// </remarks>
internal static class RuleDataReader
{
    /// <summary>Whether <paramref name="resourceType"/> is read here (otherwise: <see cref="FhirResourceParser"/>).</summary>
    public static bool Reads(string resourceType) => resourceType is "Patient" or "Condition" or "MedicationRequest"
        or "MedicationStatement" or "MedicationDispense" or "Observation" or "AllergyIntolerance" or "Procedure" or "Medication";

    /// <summary>Reads one resource of a type <see cref="Reads"/> accepts; false when it is unreadable.</summary>
    public static bool TryRead(JsonElement json, string resourceType, [NotNullWhen(true)] out Resource? resource)
    {
        try
        {
            resource = resourceType switch
            {
                "Patient" => Patient(json),
                "Condition" => Condition(json),
                "MedicationRequest" => MedicationRequest(json),
                "MedicationStatement" => MedicationStatement(json),
                "MedicationDispense" => MedicationDispense(json),
                "Observation" => Observation(json),
                "AllergyIntolerance" => AllergyIntolerance(json),
                "Procedure" => Procedure(json),
                "Medication" => Medication(json),
                _ => null,
            };
            return resource is not null;
        }
        catch (DuplicatePropertyException)
        {
            resource = null;
            return false;
        }
#pragma warning disable CA1031 // As with Firely: anything unreadable in EHR data means "skip this resource", never "fail the hook call".
        catch (Exception)
#pragma warning restore CA1031
        {
            resource = null;
            return false;
        }
    }

    private static Patient Patient(JsonElement json)
    {
        var patient = new Patient();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "id":
                    seen.Once(0);
                    patient.Id = String(p.Value);
                    break;
                case "birthDate":
                    seen.Once(1);
                    patient.BirthDateElement = String(p.Value) is { } birth ? new Date(birth) : null;
                    break;
                case "deceasedBoolean":
                    seen.Once(2);
                    patient.Deceased = Boolean(p.Value) is { } deceased ? new FhirBoolean(deceased) : null;
                    break;
                case "deceasedDateTime":
                    // Present is what counts (the engine reads any deceasedDateTime as deceased): an unreadable date
                    // still says the patient died, as with Firely, where the repaired element stays without a value.
                    seen.Once(2);
                    patient.Deceased = p.Value.ValueKind == JsonValueKind.Null ? null : new FhirDateTime(String(p.Value));
                    break;
                case "name":
                    seen.Once(3);
                    patient.Name = List(p.Value, HumanName);
                    break;
            }
        }

        return patient;
    }

    private static Condition Condition(JsonElement json)
    {
        var condition = new Condition();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "id":
                    seen.Once(0);
                    condition.Id = String(p.Value);
                    break;
                case "subject":
                    seen.Once(1);
                    condition.Subject = Reference(p.Value)!;
                    break;
                case "code":
                    seen.Once(2);
                    condition.Code = Concept(p.Value);
                    break;
                case "clinicalStatus":
                    seen.Once(3);
                    condition.ClinicalStatus = Concept(p.Value);
                    break;
                case "verificationStatus":
                    seen.Once(4);
                    condition.VerificationStatus = Concept(p.Value);
                    break;
                case "onsetDateTime":
                    seen.Once(5);
                    condition.Onset = DateTime(p.Value);
                    break;
                case "onsetPeriod":
                    seen.Once(5);
                    condition.Onset = Period(p.Value);
                    break;
            }
        }

        return condition;
    }

    private static MedicationRequest MedicationRequest(JsonElement json)
    {
        var request = new MedicationRequest();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "id":
                    seen.Once(0);
                    request.Id = String(p.Value);
                    break;
                case "subject":
                    seen.Once(1);
                    request.Subject = Reference(p.Value)!;
                    break;
                case "status":
                    seen.Once(2);
                    request.StatusElement = Code<MedicationRequest.MedicationrequestStatus>(p.Value)!;
                    break;
                case "intent":
                    seen.Once(3);
                    request.IntentElement = Code<MedicationRequest.MedicationRequestIntent>(p.Value)!;
                    break;
                case "medicationCodeableConcept":
                    seen.Once(4);
                    request.Medication = Concept(p.Value)!;
                    break;
                case "medicationReference":
                    seen.Once(4);
                    request.Medication = Reference(p.Value)!;
                    break;
                case "contained":
                    seen.Once(5);
                    request.Contained = ContainedMedications(p.Value);
                    break;
                case "dosageInstruction":
                    seen.Once(6);
                    request.DosageInstruction = List(p.Value, Dosage);
                    break;
                case "dispenseRequest":
                    seen.Once(7);
                    request.DispenseRequest = DispenseRequest(p.Value);
                    break;
                case "authoredOn":
                    seen.Once(8);
                    request.AuthoredOnElement = DateTime(p.Value);
                    break;
            }
        }

        return request;
    }

    private static MedicationRequest.DispenseRequestComponent? DispenseRequest(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var dispense = new MedicationRequest.DispenseRequestComponent();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "validityPeriod":
                    seen.Once(0);
                    dispense.ValidityPeriod = Period(p.Value);
                    break;
                case "numberOfRepeatsAllowed":
                    seen.Once(1);
                    dispense.NumberOfRepeatsAllowedElement = Integer(p.Value) is { } repeats ? new UnsignedInt(repeats) : null;
                    break;
                case "quantity":
                    seen.Once(2);
                    dispense.Quantity = Quantity(p.Value);
                    break;
                case "expectedSupplyDuration":
                    seen.Once(3);
                    dispense.ExpectedSupplyDuration = Duration(p.Value);
                    break;
            }
        }

        return dispense;
    }

    private static MedicationStatement MedicationStatement(JsonElement json)
    {
        var statement = new MedicationStatement();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "id":
                    seen.Once(0);
                    statement.Id = String(p.Value);
                    break;
                case "subject":
                    seen.Once(1);
                    statement.Subject = Reference(p.Value)!;
                    break;
                case "status":
                    seen.Once(2);
                    statement.StatusElement = Code<MedicationStatement.MedicationStatusCodes>(p.Value)!;
                    break;
                case "medicationCodeableConcept":
                    seen.Once(3);
                    statement.Medication = Concept(p.Value)!;
                    break;
                case "medicationReference":
                    seen.Once(3);
                    statement.Medication = Reference(p.Value)!;
                    break;
                case "contained":
                    seen.Once(4);
                    statement.Contained = ContainedMedications(p.Value);
                    break;
                case "effectiveDateTime":
                    seen.Once(5);
                    statement.Effective = DateTime(p.Value);
                    break;
                case "effectivePeriod":
                    seen.Once(5);
                    statement.Effective = Period(p.Value);
                    break;
                case "dateAsserted":
                    seen.Once(6);
                    statement.DateAssertedElement = DateTime(p.Value);
                    break;
                case "dosage":
                    seen.Once(7);
                    statement.Dosage = List(p.Value, Dosage);
                    break;
            }
        }

        return statement;
    }

    private static MedicationDispense MedicationDispense(JsonElement json)
    {
        var dispense = new MedicationDispense();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "id":
                    seen.Once(0);
                    dispense.Id = String(p.Value);
                    break;
                case "subject":
                    seen.Once(1);
                    dispense.Subject = Reference(p.Value);
                    break;
                case "status":
                    seen.Once(2);
                    dispense.StatusElement = Code<MedicationDispense.MedicationDispenseStatusCodes>(p.Value)!;
                    break;
                case "medicationCodeableConcept":
                    seen.Once(3);
                    dispense.Medication = Concept(p.Value)!;
                    break;
                case "medicationReference":
                    seen.Once(3);
                    dispense.Medication = Reference(p.Value)!;
                    break;
                case "contained":
                    seen.Once(4);
                    dispense.Contained = ContainedMedications(p.Value);
                    break;
                case "quantity":
                    seen.Once(5);
                    dispense.Quantity = Quantity(p.Value);
                    break;
                case "daysSupply":
                    seen.Once(6);
                    dispense.DaysSupply = Quantity(p.Value);
                    break;
                case "whenPrepared":
                    seen.Once(7);
                    dispense.WhenPreparedElement = DateTime(p.Value);
                    break;
                case "whenHandedOver":
                    seen.Once(8);
                    dispense.WhenHandedOverElement = DateTime(p.Value);
                    break;
                case "dosageInstruction":
                    seen.Once(9);
                    dispense.DosageInstruction = List(p.Value, Dosage);
                    break;
            }
        }

        return dispense;
    }

    private static Observation Observation(JsonElement json)
    {
        var observation = new Observation();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "id":
                    seen.Once(0);
                    observation.Id = String(p.Value);
                    break;
                case "subject":
                    seen.Once(1);
                    observation.Subject = Reference(p.Value);
                    break;
                case "status":
                    seen.Once(2);
                    observation.StatusElement = Code<ObservationStatus>(p.Value)!;
                    break;
                case "code":
                    seen.Once(3);
                    observation.Code = Concept(p.Value)!;
                    break;
                case "effectiveDateTime":
                    seen.Once(4);
                    observation.Effective = DateTime(p.Value);
                    break;
                case "effectivePeriod":
                    seen.Once(4);
                    observation.Effective = Period(p.Value);
                    break;
                case "effectiveInstant":
                    seen.Once(4);
                    observation.Effective = Instant(p.Value);
                    break;
                case "effectiveTiming":
                    seen.Once(4); // a dateTime choice no rule reads, but it is the effective[x] named once
                    break;
                case "issued":
                    seen.Once(5);
                    observation.IssuedElement = Instant(p.Value);
                    break;
                case var name when name.StartsWith("value", StringComparison.Ordinal):
                    seen.Once(6);
                    observation.Value = Value(name, p.Value);
                    break;
                case "component":
                    seen.Once(7);
                    observation.Component = List(p.Value, Component);
                    break;
            }
        }

        return observation;
    }

    private static Observation.ComponentComponent? Component(JsonElement json)
    {
        var component = new Observation.ComponentComponent();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "code":
                    seen.Once(0);
                    component.Code = Concept(p.Value)!;
                    break;
                case var name when name.StartsWith("value", StringComparison.Ordinal):
                    seen.Once(1);
                    component.Value = Value(name, p.Value);
                    break;
            }
        }

        return component;
    }

    /// <summary>The value[x] choices a rule reads (R4 Observation has no valueDecimal); the others read as absent.</summary>
    private static DataType? Value(ReadOnlySpan<char> name, JsonElement json) => name switch
    {
        "valueQuantity" => Quantity(json),
        "valueInteger" => Integer(json) is { } number ? new Integer(number) : null,
        "valueCodeableConcept" => Concept(json),
        _ => null,
    };

    private static AllergyIntolerance AllergyIntolerance(JsonElement json)
    {
        var allergy = new AllergyIntolerance();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "id":
                    seen.Once(0);
                    allergy.Id = String(p.Value);
                    break;
                case "patient":
                    seen.Once(1);
                    allergy.Patient = Reference(p.Value)!;
                    break;
                case "code":
                    seen.Once(2);
                    allergy.Code = Concept(p.Value);
                    break;
                case "clinicalStatus":
                    seen.Once(3);
                    allergy.ClinicalStatus = Concept(p.Value);
                    break;
                case "verificationStatus":
                    seen.Once(4);
                    allergy.VerificationStatus = Concept(p.Value);
                    break;
                case "recordedDate":
                    seen.Once(5);
                    allergy.RecordedDateElement = DateTime(p.Value);
                    break;
                case "reaction":
                    seen.Once(6);
                    allergy.Reaction = List(p.Value, Reaction);
                    break;
            }
        }

        return allergy;
    }

    private static AllergyIntolerance.ReactionComponent? Reaction(JsonElement json)
    {
        var reaction = new AllergyIntolerance.ReactionComponent();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            if (Name(p) is "substance")
            {
                seen.Once(0);
                reaction.Substance = Concept(p.Value);
            }
        }

        return reaction;
    }

    private static Procedure Procedure(JsonElement json)
    {
        var procedure = new Procedure();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "id":
                    seen.Once(0);
                    procedure.Id = String(p.Value);
                    break;
                case "subject":
                    seen.Once(1);
                    procedure.Subject = Reference(p.Value)!;
                    break;
                case "status":
                    seen.Once(2);
                    procedure.StatusElement = Code<EventStatus>(p.Value)!;
                    break;
                case "code":
                    seen.Once(3);
                    procedure.Code = Concept(p.Value);
                    break;
                case "performedDateTime":
                    seen.Once(4);
                    procedure.Performed = DateTime(p.Value);
                    break;
                case "performedPeriod":
                    seen.Once(4);
                    procedure.Performed = Period(p.Value);
                    break;
            }
        }

        return procedure;
    }

    private static Medication Medication(JsonElement json)
    {
        var medication = new Medication();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "id":
                    seen.Once(0);
                    medication.Id = String(p.Value);
                    break;
                case "code":
                    seen.Once(1);
                    medication.Code = Concept(p.Value);
                    break;
                case "ingredient":
                    seen.Once(2);
                    medication.Ingredient = List(p.Value, Ingredient);
                    break;
            }
        }

        return medication;
    }

    private static Medication.IngredientComponent? Ingredient(JsonElement json)
    {
        var ingredient = new Medication.IngredientComponent();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "itemCodeableConcept":
                    seen.Once(0);
                    ingredient.Item = Concept(p.Value)!;
                    break;
                case "itemReference":
                    seen.Once(0);
                    ingredient.Item = Reference(p.Value)!;
                    break;
                case "strength":
                    seen.Once(1);
                    ingredient.Strength = Ratio(p.Value);
                    break;
            }
        }

        return ingredient;
    }

    /// <summary>The contained resources a reference may name (<c>#id</c>): only Medications are ever looked up.</summary>
    private static List<Resource> ContainedMedications(JsonElement json)
    {
        var result = new List<Resource>();
        AddItems(json, static item => item.TryGetProperty("resourceType"u8, out var type) && type.ValueEquals("Medication"u8) ? Medication(item) : null, result);
        return result;
    }

    private static Dosage? Dosage(JsonElement json)
    {
        var dosage = new Dosage();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "asNeededBoolean":
                    seen.Once(0);
                    dosage.AsNeeded = Boolean(p.Value) is { } asNeeded ? new FhirBoolean(asNeeded) : null;
                    break;
                case "asNeededCodeableConcept":
                    seen.Once(0);
                    dosage.AsNeeded = Concept(p.Value);
                    break;
                case "timing":
                    seen.Once(1);
                    dosage.Timing = Timing(p.Value);
                    break;
                case "doseAndRate":
                    seen.Once(2);
                    dosage.DoseAndRate = List(p.Value, DoseAndRate);
                    break;
            }
        }

        return dosage;
    }

    private static Dosage.DoseAndRateComponent? DoseAndRate(JsonElement json)
    {
        var doseAndRate = new Dosage.DoseAndRateComponent();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "doseQuantity":
                    seen.Once(0);
                    doseAndRate.Dose = Quantity(p.Value);
                    break;
                case "doseRange":
                    seen.Once(0);
                    doseAndRate.Dose = Range(p.Value);
                    break;
            }
        }

        return doseAndRate;
    }

    private static Timing? Timing(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var timing = new Timing();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "repeat":
                    seen.Once(0);
                    timing.Repeat = Repeat(p.Value);
                    break;
                case "code":
                    seen.Once(1);
                    timing.Code = Concept(p.Value);
                    break;
            }
        }

        return timing;
    }

    private static Timing.RepeatComponent? Repeat(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var repeat = new Timing.RepeatComponent();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "boundsDuration":
                    seen.Once(0);
                    repeat.Bounds = Duration(p.Value);
                    break;
                case "boundsPeriod":
                    seen.Once(0);
                    repeat.Bounds = Period(p.Value);
                    break;
                case "boundsRange":
                    seen.Once(0); // read by no rule
                    break;
                case "frequency":
                    seen.Once(1);
                    repeat.FrequencyElement = Integer(p.Value) is { } frequency ? new PositiveInt(frequency) : null;
                    break;
                case "period":
                    seen.Once(2);
                    repeat.PeriodElement = Decimal(p.Value) is { } period ? new FhirDecimal(period) : null;
                    break;
                case "periodUnit":
                    seen.Once(3);
                    repeat.PeriodUnitElement = Code<Timing.UnitsOfTime>(p.Value);
                    break;
            }
        }

        return repeat;
    }

    private static HumanName? HumanName(JsonElement json)
    {
        var name = new HumanName();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "family":
                    seen.Once(0);
                    name.Family = String(p.Value);
                    break;
                case "given":
                    seen.Once(1);
                    name.GivenElement = Strings(p.Value);
                    break;
            }
        }

        return name;
    }

    private static CodeableConcept? Concept(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var concept = new CodeableConcept();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "coding":
                    seen.Once(0);
                    concept.Coding = List(p.Value, Coding);
                    break;
                case "text":
                    seen.Once(1);
                    concept.Text = String(p.Value);
                    break;
            }
        }

        return concept;
    }

    private static Coding? Coding(JsonElement json)
    {
        var coding = new Coding();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "system":
                    seen.Once(0);
                    coding.System = String(p.Value);
                    break;
                case "code":
                    seen.Once(1);
                    coding.Code = String(p.Value);
                    break;
                case "display":
                    seen.Once(2);
                    coding.Display = String(p.Value);
                    break;
            }
        }

        return coding;
    }

    private static ResourceReference? Reference(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var reference = new ResourceReference();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "reference":
                    seen.Once(0);
                    reference.Reference = String(p.Value);
                    break;
                case "display":
                    seen.Once(1);
                    reference.Display = String(p.Value);
                    break;
            }
        }

        return reference;
    }

    private static Period? Period(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var period = new Period();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "start":
                    seen.Once(0);
                    period.StartElement = DateTime(p.Value);
                    break;
                case "end":
                    seen.Once(1);
                    period.EndElement = DateTime(p.Value);
                    break;
            }
        }

        return period;
    }

    private static Quantity? Quantity(JsonElement json) => QuantityInto(new Quantity(), json);

    private static Duration? Duration(JsonElement json) => QuantityInto(new Duration(), json);

    private static T? QuantityInto<T>(T quantity, JsonElement json)
        where T : Quantity
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "value":
                    seen.Once(0);
                    quantity.ValueElement = Decimal(p.Value) is { } value ? new FhirDecimal(value) : null;
                    break;
                case "unit":
                    seen.Once(1);
                    quantity.Unit = String(p.Value);
                    break;
                case "code":
                    seen.Once(2);
                    quantity.Code = String(p.Value);
                    break;
            }
        }

        return quantity;
    }

    private static Hl7.Fhir.Model.Range? Range(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var range = new Hl7.Fhir.Model.Range();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "low":
                    seen.Once(0);
                    range.Low = Quantity(p.Value);
                    break;
                case "high":
                    seen.Once(1);
                    range.High = Quantity(p.Value);
                    break;
            }
        }

        return range;
    }

    private static Ratio? Ratio(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var ratio = new Ratio();
        var seen = new Seen();
        foreach (var p in json.EnumerateObject())
        {
            switch (Name(p))
            {
                case "numerator":
                    seen.Once(0);
                    ratio.Numerator = Quantity(p.Value);
                    break;
                case "denominator":
                    seen.Once(1);
                    ratio.Denominator = Quantity(p.Value);
                    break;
            }
        }

        return ratio;
    }

    /// <summary>
    /// A JSON array's readable items (objects); anything else reads as an empty list. An array nested in the array is
    /// read as its items, as Firely reads it.
    /// </summary>
    private static List<T> List<T>(JsonElement json, Func<JsonElement, T?> read)
        where T : class
    {
        var result = new List<T>();
        AddItems(json, read, result);
        return result;
    }

    private static void AddItems<T>(JsonElement json, Func<JsonElement, T?> read, List<T> result)
        where T : class
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var item in json.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                AddItems(item, read, result);
            }
            else if (item.ValueKind == JsonValueKind.Object && read(item) is { } value)
            {
                result.Add(value);
            }
        }
    }

    private static List<FhirString> Strings(JsonElement json)
    {
        var result = new List<FhirString>();
        AddStrings(json, result);
        return result;
    }

    private static void AddStrings(JsonElement json, List<FhirString> result)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var item in json.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                AddStrings(item, result);
            }
            else if (String(item) is { } value)
            {
                result.Add(new FhirString(value));
            }
        }
    }

    private static string? String(JsonElement json) => json.ValueKind == JsonValueKind.String ? json.GetString() : null;

    private static bool? Boolean(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static decimal? Decimal(JsonElement json) =>
        json.ValueKind == JsonValueKind.Number && json.TryGetDecimal(out var value) ? value : null;

    private static int? Integer(JsonElement json) =>
        json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var value) ? value : null;

    private static FhirDateTime? DateTime(JsonElement json) => String(json) is { } value ? new FhirDateTime(value) : null;

    private static Instant? Instant(JsonElement json)
    {
        if (String(json) is not { } value)
        {
            return null;
        }

        var instant = new Instant { JsonValue = value };
        return instant.HasValidValue() ? instant : null;
    }

    /// <summary>A known code of the enumeration, else absent (an unknown code is unreadable).</summary>
    private static Code<T>? Code<T>(JsonElement json)
        where T : struct, Enum
        => String(json) is { } literal && EnumUtility.ParseLiteral<T>(literal) is { } value ? new Code<T>(value) : null;

    /// <summary>
    /// The property's name without allocating: FHIR names are ASCII, so the raw UTF-8 bytes are the characters. A name
    /// written with JSON escapes (or longer than any FHIR name) is decoded the slow way.
    /// </summary>
    private static ReadOnlySpan<char> Name(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length > NameBuffer.Length || raw.Contains((byte)'\\'))
        {
            return property.Name;
        }

        var buffer = NameBuffer;
        var length = Encoding.UTF8.GetChars(raw, buffer);
        return buffer.AsSpan(0, length);
    }

    [ThreadStatic]
    private static char[]? _nameBuffer;

    private static char[] NameBuffer => _nameBuffer ??= new char[64];

    /// <summary>Which of an object's read properties were seen; a second occurrence makes the resource unreadable.</summary>
    private struct Seen
    {
        private ulong _bits;

        public void Once(int bit)
        {
            var mask = 1UL << bit;
            if ((_bits & mask) != 0)
            {
                throw new DuplicatePropertyException();
            }

            _bits |= mask;
        }
    }

    [SuppressMessage("Design", "CA1064:Exceptions should be public", Justification = "Control flow inside this reader only.")]
    private sealed class DuplicatePropertyException : Exception;
}
