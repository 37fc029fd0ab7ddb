using Hl7.Fhir.Model;
using KetamineCds.Core.Model;

namespace KetamineCds.Benchmarks;

/// <summary>
/// A typical TRD patient record (about 25 resources): MDD with onset, three antidepressant courses (codes, brand text,
/// dispenses), PHQ-9 scores, blood pressures, a benzodiazepine and an opioid, a few unrelated conditions, an allergy.
/// </summary>
public static class TypicalPatient
{
    public static DateTimeOffset Now { get; } = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static PatientRecord Build()
    {
        var resources = new List<Resource>
        {
            new Patient { Id = "bench-1", BirthDate = "1978-04-12", Gender = AdministrativeGender.Female },
            Condition("http://hl7.org/fhir/sid/icd-10-cm", "F33.2", Now.AddMonths(-20)),
            Condition("http://hl7.org/fhir/sid/icd-10-cm", "E11.9", Now.AddYears(-6)),
            Condition("http://hl7.org/fhir/sid/icd-10-cm", "J45.909", Now.AddYears(-15)),
            Condition("http://snomed.info/sct", "38341003", Now.AddYears(-4)),
            Request(Rx("312938", "sertraline 100 MG Oral Tablet"), Tablets(1, 1), Now.AddMonths(-18), Now.AddMonths(-12), MedicationRequest.MedicationrequestStatus.Completed),
            Request(new CodeableConcept { Text = "Effexor XR 150 mg capsule" }, Tablets(1, 1), Now.AddMonths(-12), Now.AddMonths(-6), MedicationRequest.MedicationrequestStatus.Stopped),
            Request(Rx("993557", "24 HR bupropion hydrochloride 300 MG Extended Release Oral Tablet"), Tablets(1, 1), Now.AddMonths(-5), null, MedicationRequest.MedicationrequestStatus.Active),
            Request(Rx("197901", "lorazepam 1 MG Oral Tablet"), Tablets(1, 2), Now.AddDays(-40), null, MedicationRequest.MedicationrequestStatus.Active),
            Request(Rx("1049621", "oxycodone hydrochloride 5 MG Oral Tablet"), Tablets(1, 4), Now.AddDays(-15), null, MedicationRequest.MedicationrequestStatus.Active),
            Request(Rx("860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet"), Tablets(2, 1), Now.AddYears(-2), null, MedicationRequest.MedicationrequestStatus.Active),
            Request(Rx("745679", "albuterol inhaler"), null, Now.AddYears(-1), null, MedicationRequest.MedicationrequestStatus.Active),
            new MedicationStatement
            {
                Id = "ms-1",
                Status = MedicationStatement.MedicationStatusCodes.Active,
                Medication = Rx("314076", "lisinopril 10 MG Oral Tablet"),
                Effective = new Period { Start = Iso(Now.AddYears(-3)) },
                DateAsserted = Iso(Now.AddDays(-20)),
            },
            Phq9(Now.AddMonths(-14), 18),
            Phq9(Now.AddMonths(-8), 16),
            Phq9(Now.AddMonths(-1), 15),
            Bp(Now.AddDays(-60), 138, 86),
            Bp(Now.AddDays(-9), 134, 84),
            new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "29463-7"), Effective = new FhirDateTime(Now.AddDays(-9)), Value = new Quantity(82, "kg") },
            new AllergyIntolerance { Code = Rx("7980", "penicillin G"), Patient = new ResourceReference("Patient/bench-1") },
        };
        for (var i = 0; i < 4; i++)
        {
            resources.Add(new MedicationDispense
            {
                Id = "md-" + i,
                Status = MedicationDispense.MedicationDispenseStatusCodes.Completed,
                Medication = Rx("993557", "24 HR bupropion hydrochloride 300 MG Extended Release Oral Tablet"),
                WhenHandedOver = Iso(Now.AddMonths(-5).AddDays(30 * i)),
                DaysSupply = new Quantity(30, "d"),
                Quantity = new Quantity(30, "tablet"),
            });
        }

        return PatientRecord.FromResources(resources);
    }

    public static MedicationRequest EsketamineDraft() => new()
    {
        Id = "draft-esketamine",
        Status = MedicationRequest.MedicationrequestStatus.Draft,
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = Rx("2201625", "esketamine Nasal Spray [Spravato]"),
        DosageInstruction = [new Dosage { Text = "56 mg intranasally twice weekly" }],
    };

    private static string Iso(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static CodeableConcept Rx(string code, string display) => new("http://www.nlm.nih.gov/research/umls/rxnorm", code, display);

    private static Condition Condition(string system, string code, DateTimeOffset onset) => new()
    {
        ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
        Code = new CodeableConcept(system, code),
        Onset = new FhirDateTime(onset),
    };

    private static Dosage Tablets(decimal count, int perDay) => new()
    {
        Timing = new Timing { Repeat = new Timing.RepeatComponent { Frequency = perDay, Period = 1, PeriodUnit = Timing.UnitsOfTime.D } },
        DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = new Quantity { Value = count, Unit = "tablet", Code = "TAB" } }],
    };

    private static MedicationRequest Request(CodeableConcept medication, Dosage? dosage, DateTimeOffset start, DateTimeOffset? end, MedicationRequest.MedicationrequestStatus status)
    {
        var request = new MedicationRequest
        {
            Id = "mr-" + medication.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Status = status,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = medication,
            AuthoredOn = Iso(start),
        };
        var d = dosage ?? new Dosage();
        d.Timing ??= new Timing();
        d.Timing.Repeat ??= new Timing.RepeatComponent();
        d.Timing.Repeat.Bounds = new Period { Start = Iso(start), End = end is null ? null : Iso(end.Value) };
        request.DosageInstruction.Add(d);
        return request;
    }

    private static Observation Phq9(DateTimeOffset when, int total) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", "44261-6"),
        Effective = new FhirDateTime(when),
        Value = new Integer(total),
    };

    private static Observation Bp(DateTimeOffset when, int systolic, int diastolic) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", "85354-9"),
        Effective = new FhirDateTime(when),
        Component =
        [
            new Observation.ComponentComponent { Code = new CodeableConcept("http://loinc.org", "8480-6"), Value = new Quantity(systolic, "mm[Hg]") },
            new Observation.ComponentComponent { Code = new CodeableConcept("http://loinc.org", "8462-4"), Value = new Quantity(diastolic, "mm[Hg]") },
        ],
    };
}
