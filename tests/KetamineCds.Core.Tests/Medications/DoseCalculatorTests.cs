using Hl7.Fhir.Model;
using KetamineCds.Core.Medications;
using KetamineCds.Core.Tests.Support;

namespace KetamineCds.Core.Tests.Medications;

public sealed class DoseCalculatorTests
{
    [Theory]
    [InlineData(2, "tablet", 1, 1, 25, 50)] // 2 tablets of 25 mg once a day
    [InlineData(1, "TAB", 2, 1, 75, 150)] // orderableDrugForm code
    [InlineData(1, null, 1, 1, 100, 100)] // Synthea: no unit = one unit of the product
    [InlineData(75, "mg", 2, 1, null, 150)] // mg twice a day, strength not needed
    [InlineData(500, "ug", 1, 1, null, 0.5)]
    public void Daily_dose_is_amount_times_frequency_per_period(decimal amount, string? unit, int frequency, decimal period, int? strength, decimal expected)
    {
        var dose = DoseCalculator.DailyDoseMg([Res.Dose(amount, unit, frequency, period)], strength);

        Assert.Equal(expected, dose);
    }

    [Fact]
    public void Every_12_hours_is_twice_a_day()
    {
        Assert.Equal(100m, DoseCalculator.DailyDoseMg([Res.Dose(1, "tablet", 1, 12, Timing.UnitsOfTime.H)], 50m));
    }

    [Fact]
    public void Weekly_dose_is_divided_by_seven()
    {
        Assert.Equal(10m, DoseCalculator.DailyDoseMg([Res.Dose(70, "mg", 1, 1, Timing.UnitsOfTime.Wk)], null));
    }

    [Fact]
    public void Timing_code_bid_is_used_when_repeat_is_absent()
    {
        var dosage = new Dosage
        {
            Timing = new Timing { Code = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation", "BID") },
            DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = new Quantity(30, "mg") }],
        };

        Assert.Equal(60m, DoseCalculator.DailyDoseMg([dosage], null));
    }

    [Fact]
    public void Two_dosage_lines_are_added()
    {
        Assert.Equal(150m, DoseCalculator.DailyDoseMg([Res.Dose(50, "mg"), Res.Dose(100, "mg")], null));
    }

    [Fact]
    public void Dose_range_uses_the_low_end()
    {
        var dosage = Res.Dose(1, "mg");
        dosage.DoseAndRate[0].Dose = new Hl7.Fhir.Model.Range { Low = new Quantity(20, "mg"), High = new Quantity(40, "mg") };

        Assert.Equal(20m, DoseCalculator.DailyDoseMg([dosage], null));
    }

    [Fact]
    public void Tablets_without_a_known_strength_are_unknown()
    {
        Assert.Null(DoseCalculator.DailyDoseMg([Res.Dose(2, "tablet")], null));
    }

    [Fact]
    public void Volume_units_are_unknown()
    {
        Assert.Null(DoseCalculator.DailyDoseMg([Res.Dose(5, "mL")], 10m));
    }

    [Fact]
    public void Dose_without_timing_is_unknown()
    {
        var dosage = new Dosage { DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = new Quantity(20, "mg") }] };

        Assert.Null(DoseCalculator.DailyDoseMg([dosage], null));
    }

    [Fact]
    public void No_dosage_is_unknown()
    {
        Assert.Null(DoseCalculator.DailyDoseMg([], 50m));
    }

    [Fact]
    public void Dispensed_quantity_over_days_supply_gives_a_daily_dose()
    {
        Assert.Equal(100m, DoseCalculator.FromSupply(new Quantity(60, "tablet"), new Quantity(30, "d"), 50m));
        Assert.Null(DoseCalculator.FromSupply(new Quantity(60, "tablet"), new Quantity(0, "d"), 50m));
    }
}
