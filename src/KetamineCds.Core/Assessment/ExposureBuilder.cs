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
        var exposures = new List<MedicationExposure>();
        foreach (var request in record.MedicationRequests)
        {
            if (request is not null)
            {
                AddRequest(exposures, request, record, now, recentSince);
            }
        }

        foreach (var statement in record.MedicationStatements)
        {
            if (statement is not null)
            {
                AddStatement(exposures, statement, record, now, recentSince);
            }
        }

        AddDispenses(exposures, record, now, recentSince);
        return exposures;
    }

    private void AddRequest(List<MedicationExposure> exposures, MedicationRequest request, PatientRecord record, DateTimeOffset now, DateTimeOffset recentSince)
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

        var validity = request.DispenseRequest?.ValidityPeriod;
        var bounds = request.DosageInstruction.Select(d => d?.Timing?.Repeat?.Bounds).FirstOrDefault(b => b is not null);
        var authored = FhirDates.Parse(request.AuthoredOn);
        var start = FhirDates.Parse(validity?.Start) ?? FhirDates.Parse((bounds as Period)?.Start) ?? authored;
        var repeats = 1 + Math.Max(0, request.DispenseRequest?.NumberOfRepeatsAllowed ?? 0);
        var lastActivity = Max(authored, FhirDates.Parse(validity?.Start));

        foreach (var component in medication.Components)
        {
            var daily = DoseCalculator.DailyDoseMg(request.DosageInstruction, component.StrengthMg);
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
                else if (SupplyDays(request.DispenseRequest?.Quantity, component.StrengthMg, daily) is { } days)
                {
                    end = s + TimeSpan.FromDays(days * repeats);
                }
            }

            var current = request.Status == MedicationRequest.MedicationrequestStatus.Active
                && (lastActivity >= recentSince || end >= now);
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
            });
        }
    }

    private void AddStatement(List<MedicationExposure> exposures, MedicationStatement statement, PatientRecord record, DateTimeOffset now, DateTimeOffset recentSince)
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
        var current = active && (end is null ? lastActivity >= recentSince : end >= now);
        if (end is null && active)
        {
            // An open-ended active statement runs until now only while it is recent; otherwise until it was last asserted.
            end = current ? now : (asserted > start ? asserted : null);
        }

        foreach (var component in medication.Components)
        {
            exposures.Add(new MedicationExposure
            {
                Ingredient = component.Ingredient,
                Source = MedicationSourceKind.Statement,
                Reference = string.IsNullOrEmpty(statement.Id) ? null : "MedicationStatement/" + statement.Id,
                Text = medication.Text,
                StrengthMg = component.StrengthMg,
                DailyDoseMg = DoseCalculator.DailyDoseMg(statement.Dosage, component.StrengthMg),
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
                var daily = DoseCalculator.DailyDoseMg(dispense.DosageInstruction, component.StrengthMg)
                    ?? DoseCalculator.FromSupply(dispense.Quantity, dispense.DaysSupply, component.StrengthMg);
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
            });
        }
    }

    /// <summary>Days a dispensed quantity lasts: units x strength / daily dose.</summary>
    private static double? SupplyDays(Quantity? quantity, decimal? strengthMg, decimal? dailyMg)
    {
        if (quantity?.Value is not { } amount || amount <= 0 || dailyMg is not { } daily || daily <= 0)
        {
            return null;
        }

        var unit = quantity.Code ?? quantity.Unit;
        decimal? totalMg = DoseCalculator.IsCountUnit(unit)
            ? amount * strengthMg
            : TextMedicationParser.UnitFactor(unit!.Trim().ToLowerInvariant()) * amount;
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
    }
}
