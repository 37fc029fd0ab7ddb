using Hl7.Fhir.Model;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>How a MedicationRequest carries its course dates.</summary>
public enum RequestDates
{
    /// <summary>dosageInstruction.timing.repeat.boundsPeriod (start, end).</summary>
    Bounds,

    /// <summary>dispenseRequest.validityPeriod (start, end), no bounds.</summary>
    ValidityPeriod,
}

/// <summary>Fluent builder of one patient's FHIR R4 record, dated relative to <see cref="ScenarioClock.Now"/>.</summary>
public sealed class PatientBuilder
{
    private readonly List<Resource> _resources = [];
    private readonly Patient _patient;
    private readonly ResourceReference _subject;
    private int _next;

    public PatientBuilder(int ageYears = 45, AdministrativeGender gender = AdministrativeGender.Female, string id = "p1")
    {
        _patient = new Patient
        {
            Id = id,
            Gender = gender,
            BirthDate = ScenarioClock.Now.AddYears(-ageYears).AddDays(-40).ToString("yyyy-MM-dd"),
        };
        _patient.Name.Add(new HumanName { Family = "Scenario", Given = ["Test"] });
        _subject = new ResourceReference("Patient/" + id);
        _resources.Add(_patient);
    }

    /// <summary>A birth date as the record gives it, partial ones included (<c>2008</c>, <c>2008-11</c>).</summary>
    public PatientBuilder BornIn(string birthDate)
    {
        _patient.BirthDate = birthDate;
        return this;
    }

    public PatientBuilder BornOn(DateOnly birthDate)
    {
        _patient.BirthDate = birthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return this;
    }

    /// <summary>Patient.deceasedBoolean = true (no date).</summary>
    public PatientBuilder DeceasedFlag()
    {
        _patient.Deceased = new FhirBoolean(true);
        return this;
    }

    public PatientBuilder Deceased(DateTimeOffset when)
    {
        _patient.Deceased = new FhirDateTime(when);
        return this;
    }

    public PatientBuilder Condition(string system, string code, DateTimeOffset? onset = null, string clinicalStatus = "active", DateTimeOffset? abatement = null, string? display = null)
    {
        var condition = new Condition
        {
            Id = NextId("cond"),
            ClinicalStatus = new CodeableConcept(Sys.ConditionClinical, clinicalStatus),
            VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
            Code = new CodeableConcept(system, code, display),
            Subject = _subject,
            Onset = onset is null ? null : new FhirDateTime(onset.Value),
            Abatement = abatement is null ? null : new FhirDateTime(abatement.Value),
            RecordedDate = new FhirDateTime(onset ?? ScenarioClock.Now.AddYears(-1)).Value,
        };
        condition.Category.Add(new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item"));
        _resources.Add(condition);
        return this;
    }

    public PatientBuilder Icd(string code, DateTimeOffset? onset = null, string clinicalStatus = "active", DateTimeOffset? abatement = null) =>
        Condition(Sys.Icd10Cm, code, onset, clinicalStatus, abatement);

    public PatientBuilder Sct(string code, DateTimeOffset? onset = null, string clinicalStatus = "active", DateTimeOffset? abatement = null) =>
        Condition(Sys.Snomed, code, onset, clinicalStatus, abatement);

    /// <summary>A MedicationRequest for a course from <paramref name="start"/> to <paramref name="end"/> (authored at start).</summary>
    public PatientBuilder Request(
        Med med,
        Dose? dose,
        DateTimeOffset start,
        DateTimeOffset? end,
        MedicationRequest.MedicationrequestStatus status = MedicationRequest.MedicationrequestStatus.Completed,
        RequestDates dates = RequestDates.Bounds,
        string? id = null)
    {
        var period = new Period { Start = Iso(start), End = end is null ? null : Iso(end.Value) };
        var request = NewRequest(med, status, start, id);
        if (dose is not null)
        {
            request.DosageInstruction.Add(dose.ToDosage(dates == RequestDates.Bounds ? period : null));
        }
        else if (dates == RequestDates.Bounds)
        {
            request.DosageInstruction.Add(new Dosage { Timing = new Timing { Repeat = new Timing.RepeatComponent { Bounds = period } } });
        }

        if (dates == RequestDates.ValidityPeriod)
        {
            request.DispenseRequest = new MedicationRequest.DispenseRequestComponent { ValidityPeriod = period };
        }

        _resources.Add(request);
        return this;
    }

    /// <summary>A MedicationRequest dated only by authoredOn (no bounds, no validity period) — e.g. an old order still marked active.</summary>
    public PatientBuilder RequestAuthoredOnly(Med med, Dose? dose, DateTimeOffset authored, MedicationRequest.MedicationrequestStatus status)
    {
        var request = NewRequest(med, status, authored, null);
        if (dose is not null)
        {
            request.DosageInstruction.Add(dose.ToDosage());
        }

        _resources.Add(request);
        return this;
    }

    /// <summary>A MedicationRequest whose duration is expectedSupplyDuration x (1 + numberOfRepeatsAllowed).</summary>
    public PatientBuilder RequestWithSupply(Med med, Dose? dose, DateTimeOffset authored, int supplyDays, int repeats, MedicationRequest.MedicationrequestStatus status = MedicationRequest.MedicationrequestStatus.Completed)
    {
        var request = NewRequest(med, status, authored, null);
        if (dose is not null)
        {
            request.DosageInstruction.Add(dose.ToDosage());
        }

        request.DispenseRequest = new MedicationRequest.DispenseRequestComponent
        {
            NumberOfRepeatsAllowed = repeats,
            ExpectedSupplyDuration = new Duration { Value = supplyDays, Unit = "days", System = Sys.Ucum, Code = "d" },
            Quantity = new Quantity { Value = supplyDays, Unit = "tablet" },
        };
        _resources.Add(request);
        return this;
    }

    /// <summary>A current order: status active, authored and started <paramref name="startedDaysAgo"/> days ago, no end.</summary>
    public PatientBuilder CurrentRequest(Med med, Dose? dose = null, int startedDaysAgo = 20, string? id = null) =>
        Request(med, dose, ScenarioClock.DaysAgo(startedDaysAgo), null, MedicationRequest.MedicationrequestStatus.Active, RequestDates.Bounds, id);

    public PatientBuilder Statement(Med med, Dose? dose, DateTimeOffset start, DateTimeOffset? end, MedicationStatement.MedicationStatusCodes status = MedicationStatement.MedicationStatusCodes.Completed)
    {
        var statement = NewStatement(med, dose, status);
        statement.Effective = new Period { Start = Iso(start), End = end is null ? null : Iso(end.Value) };
        statement.DateAsserted = Iso(end ?? ScenarioClock.DaysAgo(3));
        _resources.Add(statement);
        return this;
    }

    /// <summary>A MedicationStatement with only effectiveDateTime (duration unknown).</summary>
    public PatientBuilder StatementAt(Med med, Dose? dose, DateTimeOffset when, MedicationStatement.MedicationStatusCodes status = MedicationStatement.MedicationStatusCodes.Completed)
    {
        var statement = NewStatement(med, dose, status);
        statement.Effective = new FhirDateTime(when);
        statement.DateAsserted = Iso(when);
        _resources.Add(statement);
        return this;
    }

    /// <summary><paramref name="count"/> completed dispenses, the first at <paramref name="first"/>, then every <paramref name="everyDays"/> days.</summary>
    public PatientBuilder Dispenses(Med med, Dose? dose, DateTimeOffset first, int count, int everyDays = 30, int daysSupply = 30, int quantity = 30)
    {
        for (var i = 0; i < count; i++)
        {
            var handedOver = first.AddDays(i * everyDays);
            var dispense = new MedicationDispense
            {
                Id = NextId("md"),
                Status = MedicationDispense.MedicationDispenseStatusCodes.Completed,
                Subject = _subject,
                Quantity = new Quantity { Value = quantity, Unit = "tablet" },
                DaysSupply = new Quantity { Value = daysSupply, Unit = "days", System = Sys.Ucum, Code = "d" },
                WhenPrepared = Iso(handedOver),
                WhenHandedOver = Iso(handedOver),
            };
            dispense.Medication = MedicationElement(med, dispense);
            if (dose is not null)
            {
                dispense.DosageInstruction.Add(dose.ToDosage());
            }

            _resources.Add(dispense);
        }

        return this;
    }

    /// <summary>A PHQ-9 total score Observation (LOINC 44261-6 unless another code is given).</summary>
    public PatientBuilder Phq9(DateTimeOffset when, int score, string loinc = "44261-6")
    {
        var observation = NewObservation("survey", loinc, loinc == "44261-6" ? "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]" : "PHQ-9 item", when);
        observation.Value = new Quantity { Value = score, Unit = "{score}", System = Sys.Ucum, Code = "{score}" };
        _resources.Add(observation);
        return this;
    }

    /// <summary>A blood pressure panel (LOINC 85354-9) with systolic 8480-6 and diastolic 8462-4 components.</summary>
    public PatientBuilder BpPanel(DateTimeOffset when, int systolic, int diastolic)
    {
        var observation = NewObservation("vital-signs", "85354-9", "Blood pressure panel with all children optional", when);
        observation.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept(Sys.Loinc, "8480-6", "Systolic blood pressure"), Value = MmHg(systolic) });
        observation.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept(Sys.Loinc, "8462-4", "Diastolic blood pressure"), Value = MmHg(diastolic) });
        _resources.Add(observation);
        return this;
    }

    /// <summary>Separate systolic (8480-6) and diastolic (8462-4) Observations at the same time.</summary>
    public PatientBuilder BpSeparate(DateTimeOffset when, int systolic, int diastolic)
    {
        var sys = NewObservation("vital-signs", "8480-6", "Systolic blood pressure", when);
        sys.Value = MmHg(systolic);
        var dia = NewObservation("vital-signs", "8462-4", "Diastolic blood pressure", when);
        dia.Value = MmHg(diastolic);
        _resources.Add(sys);
        _resources.Add(dia);
        return this;
    }

    /// <summary>A normal blood pressure five days ago (keeps the blood-pressure rule quiet in scenarios about something else).</summary>
    public PatientBuilder RecentNormalBp() => BpPanel(ScenarioClock.DaysAgo(5), 118, 76);

    /// <summary>Pregnancy status (LOINC 82810-3) = Pregnant (LA15173-0) [C-WHO].</summary>
    public PatientBuilder PregnantObservation(DateTimeOffset when)
    {
        var observation = NewObservation("social-history", "82810-3", "Pregnancy status", when);
        observation.Value = new CodeableConcept(Sys.Loinc, "LA15173-0", "Pregnant");
        _resources.Add(observation);
        return this;
    }

    /// <summary>Pregnancy status (LOINC 82810-3) with any coded answer, e.g. SNOMED 60001007 "Not pregnant".</summary>
    public PatientBuilder PregnancyStatus(DateTimeOffset when, string system, string code, string display)
    {
        var observation = NewObservation("social-history", "82810-3", "Pregnancy status", when);
        observation.Value = new CodeableConcept(system, code, display);
        _resources.Add(observation);
        return this;
    }

    /// <summary>A PHQ-9 total recorded as valueInteger (as many EHRs send scores).</summary>
    public PatientBuilder Phq9Integer(DateTimeOffset when, int score)
    {
        var observation = NewObservation("survey", "44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]", when);
        observation.Value = new Integer(score);
        _resources.Add(observation);
        return this;
    }

    /// <summary>Odd but parseable resources an EHR may send: no codes, no medication, no values, unknown units, bad dates.</summary>
    public PatientBuilder Junk()
    {
        _resources.Add(new Condition { Id = NextId("junk"), Subject = _subject });
        _resources.Add(new Condition { Id = NextId("junk"), Subject = _subject, Code = new CodeableConcept { Text = "feeling low" }, Onset = new FhirString("spring") });
        _resources.Add(new MedicationRequest { Id = NextId("junk"), Subject = _subject, Status = MedicationRequest.MedicationrequestStatus.Active, Intent = MedicationRequest.MedicationRequestIntent.Order });
        _resources.Add(new MedicationRequest
        {
            Id = NextId("junk"),
            Subject = _subject,
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new ResourceReference("#does-not-exist"),
            AuthoredOn = "not a date",
        });
        _resources.Add(new MedicationStatement
        {
            Id = NextId("junk"),
            Subject = _subject,
            Status = MedicationStatement.MedicationStatusCodes.Active,
            Medication = new ResourceReference("Medication/missing"),
            Dosage = [new Dosage { DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = new Quantity { Value = 2, Unit = "puff" } }] }],
        });
        _resources.Add(NewObservation("survey", "44261-6", "PHQ-9 total without a value", ScenarioClock.DaysAgo(9)));
        _resources.Add(NewObservation("vital-signs", "85354-9", "BP panel without components", ScenarioClock.DaysAgo(9)));
        _resources.Add(new AllergyIntolerance { Id = NextId("junk"), Patient = _subject });
        _resources.Add(new MedicationDispense { Id = NextId("junk"), Subject = _subject, Status = MedicationDispense.MedicationDispenseStatusCodes.Completed, Medication = new CodeableConcept { Text = "sertraline" }, WhenHandedOver = "yesterday" });
        return this;
    }

    public PatientBuilder Allergy(string rxCode, string display)
    {
        var allergy = new AllergyIntolerance
        {
            Id = NextId("al"),
            ClinicalStatus = new CodeableConcept(Sys.AllergyClinical, "active"),
            VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed"),
            Type = AllergyIntolerance.AllergyIntoleranceType.Allergy,
            Code = new CodeableConcept(Sys.RxNorm, rxCode, display),
            Patient = _subject,
            RecordedDate = Iso(ScenarioClock.MonthsAgo(30)),
        };
        _resources.Add(allergy);
        return this;
    }

    /// <summary>A Procedure (e.g. electroconvulsive therapy) performed at <paramref name="performed"/>, or with no performed date.</summary>
    public PatientBuilder Procedure(string system, string code, string display, DateTimeOffset? performed, EventStatus status = EventStatus.Completed)
    {
        _resources.Add(new Procedure
        {
            Id = NextId("proc"),
            Status = status,
            Code = new CodeableConcept(system, code, display),
            Subject = _subject,
            Performed = performed is null ? null : new FhirDateTime(performed.Value),
        });
        return this;
    }

    /// <summary>Adds any other resource as is.</summary>
    public PatientBuilder With(Resource resource)
    {
        _resources.Add(resource);
        return this;
    }

    public IReadOnlyList<Resource> Build() => [.. _resources];

    private MedicationRequest NewRequest(Med med, MedicationRequest.MedicationrequestStatus status, DateTimeOffset authored, string? id)
    {
        var request = new MedicationRequest
        {
            Id = id ?? NextId("mr"),
            Status = status,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Subject = _subject,
            AuthoredOn = Iso(authored),
        };
        request.Medication = MedicationElement(med, request);
        return request;
    }

    private MedicationStatement NewStatement(Med med, Dose? dose, MedicationStatement.MedicationStatusCodes status)
    {
        var statement = new MedicationStatement
        {
            Id = NextId("ms"),
            Status = status,
            Subject = _subject,
        };
        statement.Medication = MedicationElement(med, statement);
        if (dose is not null)
        {
            statement.Dosage.Add(dose.ToDosage());
        }

        return statement;
    }

    private DataType MedicationElement(Med med, DomainResource owner)
    {
        switch (med.Form)
        {
            case MedForm.Contained:
                var containedId = NextId("med");
                owner.Contained.Add(new Medication { Id = containedId, Code = med.ToConcept() });
                return new ResourceReference("#" + containedId);
            case MedForm.Referenced:
                var id = NextId("med");
                _resources.Add(new Medication { Id = id, Code = med.ToConcept() });
                return new ResourceReference("Medication/" + id);
            default:
                return med.ToConcept();
        }
    }

    private Observation NewObservation(string category, string loinc, string display, DateTimeOffset when)
    {
        var observation = new Observation
        {
            Id = NextId("obs"),
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(Sys.Loinc, loinc, display),
            Subject = _subject,
            Effective = new FhirDateTime(when),
        };
        observation.Category.Add(new CodeableConcept(Sys.ObservationCategory, category));
        return observation;
    }

    private static Quantity MmHg(int value) => new() { Value = value, Unit = "mm[Hg]", System = Sys.Ucum, Code = "mm[Hg]" };

    private static string Iso(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private string NextId(string prefix) => $"{prefix}-{++_next}";
}
