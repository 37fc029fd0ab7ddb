using Hl7.Fhir.Model;
using KetamineCds.Core.Medications;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Assessment;

/// <summary>
/// Turns MedicationRequest / MedicationStatement / MedicationDispense resources into per-ingredient exposures with dates,
/// daily dose and a "current" flag. Unrecognised medications and unusable resources are skipped, never thrown.
/// </summary>
internal sealed class ExposureBuilder(MedicationRecognizer recognizer, ClinicalOptions options)
{
    public List<MedicationExposure> Build(PatientRecord record, DateTimeOffset now)
    {
        var recentSince = now - TimeSpan.FromDays(options.CurrentMedicationWindowDays);
        var openEndedSince = now - TimeSpan.FromDays(Math.Max(options.OpenEndedActiveDays, options.CurrentMedicationWindowDays));
        var exposures = new List<MedicationExposure>();
        foreach (var request in record.MedicationRequests)
        {
            if (request is not null)
            {
                AddRequest(exposures, request, record, now, recentSince, openEndedSince);
            }
        }

        foreach (var statement in record.MedicationStatements)
        {
            if (statement is not null)
            {
                AddStatement(exposures, statement, record, now, openEndedSince);
            }
        }

        AddDispenses(exposures, record, now, recentSince);
        return exposures;
    }

    private void AddRequest(List<MedicationExposure> exposures, MedicationRequest request, PatientRecord record, DateTimeOffset now, DateTimeOffset recentSince, DateTimeOffset openEndedSince)
    {
        if (request.Status is MedicationRequest.MedicationrequestStatus.Cancelled
            or MedicationRequest.MedicationrequestStatus.EnteredInError
            or MedicationRequest.MedicationrequestStatus.Draft)
        {
            return;
        }

        var medication = recognizer.Recognize(request.Medication, request, record);
        if (!medication.IsKnown)
        {
            return;
        }

        var isCourse = AuthorisesTreatment(request.Intent) && !AsNeededOnly(request.DosageInstruction);
        var validity = request.DispenseRequest?.ValidityPeriod;
        var bounds = request.DosageInstruction.Select(d => d?.Timing?.Repeat?.Bounds).FirstOrDefault(b => b is not null);
        var authored = FhirDates.Parse(request.AuthoredOn);
        var start = FhirDates.Parse(validity?.Start) ?? FhirDates.Parse((bounds as Period)?.Start) ?? authored;
        var repeats = 1 + Math.Max(0, request.DispenseRequest?.NumberOfRepeatsAllowed ?? 0);
        var lastActivity = Max(authored, FhirDates.Parse(validity?.Start));

        foreach (var component in medication.Components)
        {
            var daily = DoseCalculator.DailyDoseMg(request.DosageInstruction, component.StrengthMg, component.MgPerMl);
            DateTimeOffset? end = FhirDates.Parse(validity?.End) ?? FhirDates.Parse((bounds as Period)?.End);
            if (end is null && start is { } s)
            {
                if (bounds is Duration boundsDuration && FhirDates.DurationDays(boundsDuration) is { } span)
                {
                    end = s + span;
                }
                else if (FhirDates.DurationDays(request.DispenseRequest?.ExpectedSupplyDuration) is { } supply)
                {
                    end = s + (supply * repeats);
                }
                else if (SupplyDays(request.DispenseRequest?.Quantity, component, daily) is { } days)
                {
                    end = s + TimeSpan.FromDays(days * repeats);
                }
            }

            // Active and written recently, or its (often estimated) supply ended within the window: a refill may be
            // pending, and an interaction check must not drop the drug the day the estimate runs out.
            var current = request.Status == MedicationRequest.MedicationrequestStatus.Active
                && (lastActivity >= recentSince || end >= recentSince || (end is null && lastActivity >= openEndedSince));
            if (current && end is null)
            {
                // A current order without an end is being taken now: the course runs at least until today.
                end = now;
            }
            exposures.Add(new MedicationExposure
            {
                Ingredient = component.Ingredient,
                Source = MedicationSourceKind.Request,
                Reference = string.IsNullOrEmpty(request.Id) ? null : "MedicationRequest/" + request.Id,
                Text = medication.Text,
                StrengthMg = component.StrengthMg,
                DailyDoseMg = daily,
                Start = start,
                End = end,
                IsCurrent = current,
                IsCourse = isCourse,
            });
        }
    }

    /// <summary>
    /// FHIR R4 request intents: proposal (a suggestion without authority), plan (an intention, no authorisation) and
    /// option (one of a set of choices) do not authorise treatment, so they are no evidence that a course was given.
    /// order and its kinds (original-, reflex-, filler-, instance-order) do; a missing intent is read as an order.
    /// </summary>
    private static bool AuthorisesTreatment(MedicationRequest.MedicationRequestIntent? intent) => intent is not (
        MedicationRequest.MedicationRequestIntent.Proposal
        or MedicationRequest.MedicationRequestIntent.Plan
        or MedicationRequest.MedicationRequestIntent.Option);

    /// <summary>Every dosage line is as needed (asNeededBoolean true, or an asNeededCodeableConcept, which implies it in R4).</summary>
    private static bool AsNeededOnly(List<Dosage> dosages)
    {
        var any = false;
        foreach (var dosage in dosages)
        {
            if (dosage is null)
            {
                continue;
            }

            if (!IsAsNeeded(dosage))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    private static bool IsAsNeeded(Dosage dosage) => dosage.AsNeeded switch
    {
        FhirBoolean b => b.Value == true,
        CodeableConcept => true,
        _ => false,
    };

    private void AddStatement(List<MedicationExposure> exposures, MedicationStatement statement, PatientRecord record, DateTimeOffset now, DateTimeOffset openEndedSince)
    {
        if (statement.Status is MedicationStatement.MedicationStatusCodes.EnteredInError
            or MedicationStatement.MedicationStatusCodes.NotTaken
            or MedicationStatement.MedicationStatusCodes.Intended)
        {
            return;
        }

        var medication = recognizer.Recognize(statement.Medication, statement, record);
        if (!medication.IsKnown)
        {
            return;
        }

        var start = FhirDates.Start(statement.Effective);
        var end = statement.Effective is Period ? FhirDates.End(statement.Effective) : null;
        var asserted = FhirDates.Parse(statement.DateAsserted);
        var lastActivity = Max(asserted, start);
        var active = statement.Status == MedicationStatement.MedicationStatusCodes.Active;
        var current = active && (end is null ? lastActivity >= openEndedSince : end >= now);
        if (end is null && active)
        {
            // An open-ended active statement runs until now only while it is recent; otherwise until it was last asserted.
            end = current ? now : (asserted > start ? asserted : null);
        }

        var isCourse = !AsNeededOnly(statement.Dosage);
        foreach (var component in medication.Components)
        {
            exposures.Add(new MedicationExposure
            {
                IsCourse = isCourse,
                Ingredient = component.Ingredient,
                Source = MedicationSourceKind.Statement,
                Reference = string.IsNullOrEmpty(statement.Id) ? null : "MedicationStatement/" + statement.Id,
                Text = medication.Text,
                StrengthMg = component.StrengthMg,
                DailyDoseMg = DoseCalculator.DailyDoseMg(statement.Dosage, component.StrengthMg, component.MgPerMl),
                Start = start,
                End = end,
                IsCurrent = current,
            });
        }
    }

    private void AddDispenses(List<MedicationExposure> exposures, PatientRecord record, DateTimeOffset now, DateTimeOffset recentSince)
    {
        var runs = new Dictionary<Knowledge.Ingredient, DispenseRun>();
        foreach (var dispense in record.MedicationDispenses)
        {
            if (dispense is null || dispense.Status is MedicationDispense.MedicationDispenseStatusCodes.Cancelled
                or MedicationDispense.MedicationDispenseStatusCodes.EnteredInError
                or MedicationDispense.MedicationDispenseStatusCodes.Declined)
            {
                continue;
            }

            var date = FhirDates.Parse(dispense.WhenHandedOver) ?? FhirDates.Parse(dispense.WhenPrepared);
            if (date is null)
            {
                continue;
            }

            var medication = recognizer.Recognize(dispense.Medication, dispense, record);
            foreach (var component in medication.Components)
            {
                var daily = DoseCalculator.DailyDoseMg(dispense.DosageInstruction, component.StrengthMg, component.MgPerMl)
                    ?? DoseCalculator.FromSupply(dispense.Quantity, dispense.DaysSupply, component.StrengthMg, component.MgPerMl);
                var supplyEnd = FhirDates.DurationDays(dispense.DaysSupply) is { } days ? date + days : date;
                if (!runs.TryGetValue(component.Ingredient, out var run))
                {
                    run = new DispenseRun { Text = medication.Text, StrengthMg = component.StrengthMg };
                    runs[component.Ingredient] = run;
                }

                run.First = Min(run.First, date);
                if (run.Last is null || date > run.Last)
                {
                    run.Last = date;
                    run.Reference = string.IsNullOrEmpty(dispense.Id) ? null : "MedicationDispense/" + dispense.Id;
                    run.Text = medication.Text ?? run.Text;
                }

                run.IsCourse |= !AsNeededOnly(dispense.DosageInstruction);
                run.End = Max(run.End, supplyEnd);
                run.DailyDoseMg = Max(run.DailyDoseMg, daily);
                run.StrengthMg ??= component.StrengthMg;
            }
        }

        foreach (var (ingredient, run) in runs)
        {
            exposures.Add(new MedicationExposure
            {
                Ingredient = ingredient,
                Source = MedicationSourceKind.Dispense,
                Reference = run.Reference,
                Text = run.Text,
                StrengthMg = run.StrengthMg,
                DailyDoseMg = run.DailyDoseMg,
                Start = run.First,
                End = run.End,
                IsCurrent = run.Last >= recentSince || run.End >= now,
                IsCourse = run.IsCourse,
            });
        }
    }

    /// <summary>Days a dispensed quantity lasts: amount in mg (units x strength, mass, or volume x concentration) / daily dose.</summary>
    private static double? SupplyDays(Quantity? quantity, MedicationComponent component, decimal? dailyMg)
    {
        if (quantity?.Value is not { } amount || amount <= 0 || dailyMg is not { } daily || daily <= 0)
        {
            return null;
        }

        var totalMg = DoseCalculator.ToMg(amount, quantity.Code ?? quantity.Unit, component.StrengthMg, component.MgPerMl);
        return totalMg is null ? null : (double)(totalMg.Value / daily);
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    private static decimal? Max(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private sealed class DispenseRun
    {
        public DateTimeOffset? First { get; set; }
        public DateTimeOffset? Last { get; set; }
        public DateTimeOffset? End { get; set; }
        public decimal? DailyDoseMg { get; set; }
        public decimal? StrengthMg { get; set; }
        public string? Reference { get; set; }
        public string? Text { get; set; }

        public bool IsCourse { get; set; }
    }
}
