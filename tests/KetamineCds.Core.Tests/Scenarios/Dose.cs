using Hl7.Fhir.Model;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>A dosage instruction: an amount (mg, tablets or capsules) given <see cref="Frequency"/> times per <see cref="Period"/> <see cref="PeriodUnit"/>.</summary>
public sealed record Dose(decimal Amount, string Unit, int Frequency, decimal Period, Timing.UnitsOfTime PeriodUnit)
{
    private const string DrugForm = "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm";

    public static Dose Tablets(decimal count, int timesPerDay = 1) => new(count, "tablet", timesPerDay, 1, Timing.UnitsOfTime.D);

    public static Dose Capsules(decimal count, int timesPerDay = 1) => new(count, "capsule", timesPerDay, 1, Timing.UnitsOfTime.D);

    public static Dose Mg(decimal mg, int timesPerDay = 1) => new(mg, "mg", timesPerDay, 1, Timing.UnitsOfTime.D);

    /// <summary>Amount every <paramref name="hours"/> hours (frequency 1, period in hours).</summary>
    public static Dose TabletsEveryHours(decimal count, decimal hours) => new(count, "tablet", 1, hours, Timing.UnitsOfTime.H);

    public Quantity ToQuantity() => Unit switch
    {
        "mg" => new Quantity { Value = Amount, Unit = "mg", System = Sys.Ucum, Code = "mg" },
        "tablet" => new Quantity { Value = Amount, Unit = "tablet", System = DrugForm, Code = "TAB" },
        "capsule" => new Quantity { Value = Amount, Unit = "capsule", System = DrugForm, Code = "CAP" },
        _ => new Quantity { Value = Amount, Unit = Unit },
    };

    /// <summary>Sig text as a prescriber would write it, e.g. "2 tablets by mouth twice daily", "1 tablet every 12 hours".</summary>
    public string Describe()
    {
        var amount = Unit == "mg" ? $"{Amount:0.##} mg" : $"{Amount:0.##} {Unit}{(Amount == 1 ? string.Empty : "s")}";
        var when = (Frequency, Period, PeriodUnit) switch
        {
            (1, 1, Timing.UnitsOfTime.D) => "once daily",
            (2, 1, Timing.UnitsOfTime.D) => "twice daily",
            (3, 1, Timing.UnitsOfTime.D) => "three times daily",
            (1, _, Timing.UnitsOfTime.H) => $"every {Period:0.##} hours",
            _ => $"{Frequency} times every {Period:0.##} {PeriodUnit}",
        };
        return $"{amount} by mouth {when}";
    }

    public Dosage ToDosage(Period? bounds = null) => new()
    {
        Sequence = 1,
        Text = Describe(),
        Timing = new Timing
        {
            Repeat = new Timing.RepeatComponent
            {
                Frequency = Frequency,
                Period = Period,
                PeriodUnit = PeriodUnit,
                Bounds = bounds,
            },
        },
        DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = ToQuantity() }],
    };
}
