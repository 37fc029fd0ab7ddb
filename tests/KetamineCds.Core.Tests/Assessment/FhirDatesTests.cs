using KetamineCds.Core.Assessment;

namespace KetamineCds.Core.Tests.Assessment;

public sealed class FhirDatesTests
{
    [Theory]
    [InlineData("2026-11-27T12:30:15Z", "2026-11-27T12:30:15+00:00")]
    [InlineData("2026-11-27T12:30:15.250+02:00", "2026-11-27T10:30:15.25+00:00")]
    [InlineData("2026-11-27T12:30:15-05:00", "2026-11-27T17:30:15+00:00")]
    [InlineData("2026-11-27", "2026-11-27T00:00:00+00:00")]
    [InlineData("2026-11", "2026-11-01T00:00:00+00:00")]
    [InlineData("2026", "2026-01-01T00:00:00+00:00")]
    public void Fhir_dates_and_instants_are_read(string value, string expectedUtc)
    {
        var parsed = FhirDates.Parse(value);

        Assert.NotNull(parsed);
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), parsed.Value);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2025-13-45")]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("")]
    [InlineData(null)]
    public void Bad_dates_are_null(string? value)
    {
        Assert.Null(FhirDates.Parse(value));
    }
}
