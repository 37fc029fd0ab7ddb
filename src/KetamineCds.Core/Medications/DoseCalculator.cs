using Hl7.Fhir.Model;

namespace KetamineCds.Core.Medications;

/// <summary>
/// Daily dose in mg from FHIR dosage: dose quantity x frequency / period. A dose counted in units (tablets, capsules,
/// or no unit at all, as Synthea writes it) uses the product's strength; a dose in volume (mL) uses the product's
/// concentration (mg/mL). Anything else is unknown (null).
/// </summary>
internal static class DoseCalculator
{
    private static readonly HashSet<string> CountUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        "1", "tab", "tabs", "tablet", "tablets", "tbl", "cap", "caps", "capsule", "capsules", "each", "ea", "unit", "units",
        "patch", "patches", "film", "films", "troche", "lozenge", "{tablet}", "{tablets}", "{tbl}", "{capsule}", "{capsules}", "{cap}", "{each}",
    };

    private static readonly Dictionary<string, decimal> GtsPerDay = new(StringComparer.OrdinalIgnoreCase)
    {
        ["QD"] = 1m, ["AM"] = 1m, ["PM"] = 1m, ["BID"] = 2m, ["TID"] = 3m, ["QID"] = 4m,
        ["QOD"] = 0.5m, ["Q4H"] = 6m, ["Q6H"] = 4m, ["Q8H"] = 3m, ["WK"] = 1m / 7m,
    };

    public static bool IsCountUnit(string? unit) => string.IsNullOrWhiteSpace(unit) || CountUnits.Contains(unit.Trim());

    /// <summary>Sum of the dosage lines' daily doses; null when any line cannot be computed.</summary>
    /// <summary>Largest amount (units or mg per dose, strength per unit) read as plausible; larger is "dose unknown".</summary>
    private const decimal MaxAmount = 1_000_000m;

    /// <summary>Shortest dosing period read as plausible: one minute.</summary>
    private const decimal MinPeriodDays = 1m / 1440m;

    private const int MaxFrequency = 1440;

    /// <summary>Longest days supply read as plausible: ten years.</summary>
    private const decimal MaxDays = 3650m;

    public static decimal? DailyDoseMg(IEnumerable<Dosage>? dosages, decimal? strengthMg, decimal? mgPerMl = null)
    {
        if (dosages is null)
        {
            return null;
        }

        decimal? total = null;
        foreach (var dosage in dosages)
        {
            if (dosage is null)
            {
                continue;
            }

            var amount = DoseAmountMg(dosage, strengthMg, mgPerMl);
            var perDay = DosesPerDay(dosage.Timing);
            if (amount is null || perDay is null)
            {
                return null;
            }

            total = (total ?? 0m) + (amount.Value * perDay.Value);
        }

        return total is null ? null : decimal.Round(total.Value, 2);
    }

    /// <summary>Daily dose from a dispense's quantity and days supply.</summary>
    public static decimal? FromSupply(Quantity? quantity, Quantity? daysSupply, decimal? strengthMg, decimal? mgPerMl = null)
    {
        if (quantity?.Value is not { } amount || daysSupply?.Value is not { } days || days <= 0 || amount <= 0 || days > MaxDays)
        {
            return null;
        }

        var mg = ToMg(amount, quantity.Code ?? quantity.Unit, strengthMg, mgPerMl);
        return mg is null ? null : decimal.Round(mg.Value / days, 2);
    }

    public static decimal? DoseAmountMg(Dosage dosage, decimal? strengthMg, decimal? mgPerMl = null)
    {
        foreach (var doseAndRate in dosage.DoseAndRate)
        {
            switch (doseAndRate?.Dose)
            {
                case Quantity q when q.Value is { } value:
                    return ToMg(value, q.Code ?? q.Unit, strengthMg, mgPerMl);
                case Hl7.Fhir.Model.Range r when r.Low?.Value is { } low:
                    return ToMg(low, r.Low.Code ?? r.Low.Unit, strengthMg, mgPerMl);
                default:
                    continue;
            }
        }

        return null;
    }

    /// <summary>Doses per day from timing.repeat (frequency / period) or a GTS timing code; null when unknown.</summary>
    public static decimal? DosesPerDay(Timing? timing)
    {
        if (timing?.Repeat is { } repeat && repeat.Period is { } period && period > 0 && period <= MaxAmount)
        {
            var days = repeat.PeriodUnit switch
            {
                Timing.UnitsOfTime.S => period / 86400m,
                Timing.UnitsOfTime.Min => period / 1440m,
                Timing.UnitsOfTime.H => period / 24m,
                Timing.UnitsOfTime.D => period,
                Timing.UnitsOfTime.Wk => period * 7m,
                Timing.UnitsOfTime.Mo => period * 30m,
                Timing.UnitsOfTime.A => period * 365m,
                _ => (decimal?)null,
            };
            // Less than a minute between doses, or more than a few doses a minute, is not a real schedule.
            if (days is null || days.Value < MinPeriodDays || repeat.Frequency is < 0 or > MaxFrequency)
            {
                return null;
            }

            return (repeat.Frequency ?? 1) / days.Value;
        }

        var code = timing?.Code?.Coding.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c?.Code))?.Code;
        return code is not null && GtsPerDay.TryGetValue(code, out var perDay) ? perDay : null;
    }

    /// <summary>An amount in mg: count units x strength, mass units as such, volume units x concentration (mg/mL).</summary>
    public static decimal? ToMg(decimal value, string? unit, decimal? strengthMg, decimal? mgPerMl = null)
    {
        // Implausible amounts (and the arithmetic overflow they would cause) are "dose unknown".
        if (value is < 0 or > MaxAmount || strengthMg is < 0 or > MaxAmount || mgPerMl is < 0 or > MaxAmount)
        {
            return null;
        }

        if (IsCountUnit(unit))
        {
            return strengthMg is null ? null : value * strengthMg.Value;
        }

        var normalized = unit!.Trim().ToLowerInvariant();
        if (TextMedicationParser.UnitFactor(normalized) is { } factor)
        {
            return value * factor;
        }

        return mgPerMl is { } concentration && TextMedicationParser.VolumeFactorMl(normalized) is { } ml && value <= MaxAmount / ml
            ? value * ml * concentration
            : null;
    }
}
