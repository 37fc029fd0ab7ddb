using Hl7.Fhir.Model;
using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Tests.Support;

/// <summary>Small FHIR R4 resource factories for the engine's unit tests (dates relative to <see cref="Clock.Now"/>).</summary>
internal static class Res
{
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string Snomed = "http://snomed.info/sct";
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string Loinc = "http://loinc.org";

    private static readonly KnowledgeBase SharedKnowledge = KnowledgeBase.LoadEmbedded();

    public static KnowledgeBase Knowledge => SharedKnowledge;

    public static string Iso(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static CodeableConcept Rx(string code, string? display = null, string? text = null) =>
        new() { Coding = [new Coding(RxNorm, code, display)], Text = text };

    public static CodeableConcept Text(string text) => new() { Text = text };

    public static Patient Patient(int age = 45, string id = "p1") =>
        new() { Id = id, BirthDate = Clock.Now.AddYears(-age).AddDays(-10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) };

    public static Condition Condition(string system, string code, DateTimeOffset? onset = null, string clinicalStatus = "active", string? id = null) => new()
    {
        Id = id,
        ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", clinicalStatus),
        Code = new CodeableConcept(system, code),
        Onset = onset is null ? null : new FhirDateTime(onset.Value),
    };

    public static Dosage Dose(decimal amount, string? unit, int frequency = 1, decimal period = 1, Timing.UnitsOfTime periodUnit = Timing.UnitsOfTime.D) => new()
    {
        Timing = new Timing { Repeat = new Timing.RepeatComponent { Frequency = frequency, Period = period, PeriodUnit = periodUnit } },
        DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = new Quantity { Value = amount, Unit = unit, Code = unit } }],
    };

    /// <summary>A MedicationRequest running from <paramref name="start"/> to <paramref name="end"/> (timing bounds).</summary>
    public static MedicationRequest Request(
        CodeableConcept medication,
        Dosage? dosage,
        DateTimeOffset start,
        DateTimeOffset? end,
        MedicationRequest.MedicationrequestStatus status = MedicationRequest.MedicationrequestStatus.Completed,
        string? id = null)
    {
        var request = new MedicationRequest
        {
            Id = id ?? "mr-" + Guid.NewGuid().ToString("N")[..8],
            Status = status,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = medication,
            AuthoredOn = Iso(start),
        };
        var d = dosage ?? new Dosage { Timing = new Timing { Repeat = new Timing.RepeatComponent() } };
        d.Timing ??= new Timing { Repeat = new Timing.RepeatComponent() };
        d.Timing.Repeat ??= new Timing.RepeatComponent();
        d.Timing.Repeat.Bounds = new Period { Start = Iso(start), End = end is null ? null : Iso(end.Value) };
        request.DosageInstruction.Add(d);
        return request;
    }

    public static MedicationRequest Draft(CodeableConcept medication, string? id = "draft-1", Dosage? dosage = null)
    {
        var request = new MedicationRequest
        {
            Id = id,
            Status = MedicationRequest.MedicationrequestStatus.Draft,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = medication,
        };
        if (dosage is not null)
        {
            request.DosageInstruction.Add(dosage);
        }

        return request;
    }

    public static MedicationStatement Statement(CodeableConcept medication, Dosage? dosage, DateTimeOffset start, DateTimeOffset? end, MedicationStatement.MedicationStatusCodes status = MedicationStatement.MedicationStatusCodes.Completed)
    {
        var statement = new MedicationStatement
        {
            Id = "ms-" + Guid.NewGuid().ToString("N")[..8],
            Status = status,
            Medication = medication,
            Effective = new Period { Start = Iso(start), End = end is null ? null : Iso(end.Value) },
            DateAsserted = Iso(end ?? Clock.DaysAgo(2)),
        };
        if (dosage is not null)
        {
            statement.Dosage.Add(dosage);
        }

        return statement;
    }

    public static MedicationDispense Dispense(CodeableConcept medication, DateTimeOffset handedOver, int daysSupply, int quantity, string? id = null) => new()
    {
        Id = id ?? "md-" + Guid.NewGuid().ToString("N")[..8],
        Status = MedicationDispense.MedicationDispenseStatusCodes.Completed,
        Medication = medication,
        WhenHandedOver = Iso(handedOver),
        DaysSupply = new Quantity { Value = daysSupply, Unit = "days", Code = "d" },
        Quantity = new Quantity { Value = quantity, Unit = "tablet" },
    };

    public static Observation Phq9(DateTimeOffset when, int total, string loinc = "44261-6") => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(Loinc, loinc),
        Effective = new FhirDateTime(when),
        Value = new Integer(total),
    };

    public static Observation BloodPressure(DateTimeOffset when, int systolic, int diastolic) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(Loinc, "85354-9"),
        Effective = new FhirDateTime(when),
        Component =
        [
            new Observation.ComponentComponent { Code = new CodeableConcept(Loinc, "8480-6"), Value = new Quantity(systolic, "mm[Hg]") },
            new Observation.ComponentComponent { Code = new CodeableConcept(Loinc, "8462-4"), Value = new Quantity(diastolic, "mm[Hg]") },
        ],
    };

    public static AllergyIntolerance Allergy(CodeableConcept substance, string clinicalStatus = "active") => new()
    {
        ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", clinicalStatus),
        Code = substance,
        Patient = new ResourceReference("Patient/p1"),
    };
}
