using System.Globalization;
using Hl7.Fhir.Model;

namespace KetamineCds.Core.Assessment;

/// <summary>Lenient FHIR date/dateTime reading: partial dates become the first instant of the period; bad values become null.</summary>
internal static class FhirDates
{
    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var v = value.Trim();
        var inv = CultureInfo.InvariantCulture;
        switch (v.Length)
        {
            case 4 when int.TryParse(v, NumberStyles.None, inv, out var year) && year is > 0 and < 10000:
                return new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
            case 7 when DateTime.TryParseExact(v, "yyyy-MM", inv, DateTimeStyles.None, out var month):
                return new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.Zero);
            case 10 when DateTime.TryParseExact(v, "yyyy-MM-dd", inv, DateTimeStyles.None, out var day):
                return new DateTimeOffset(day.Year, day.Month, day.Day, 0, 0, 0, TimeSpan.Zero);
            default:
                if (TryParseIso(v, out var fast))
                {
                    return fast;
                }

                return DateTimeOffset.TryParse(v, inv, DateTimeStyles.AssumeUniversal, out var full) ? full : null;
        }
    }

    /// <summary>
    /// The last day a date may mean: <c>2008</c> is 2008-12-31, <c>2008-12</c> is 2008-12-31, a full date or dateTime is
    /// itself (<see cref="Parse"/> gives the first); null when unreadable.
    /// </summary>
    public static DateTimeOffset? ParseLatest(string? value)
    {
        if (Parse(value) is not { } first)
        {
            return null;
        }

        return value!.Trim().Length switch
        {
            4 => first.AddYears(1).AddDays(-1),
            7 => first.AddMonths(1).AddDays(-1),
            _ => first,
        };
    }

    /// <summary>Fast path for the usual FHIR instant shape <c>yyyy-MM-ddTHH:mm:ss[.fff...](Z|+hh:mm|-hh:mm)</c>.</summary>
    private static bool TryParseIso(string v, out DateTimeOffset value)
    {
        value = default;
        if (v.Length < 20 || v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':' || v[16] != ':')
        {
            return false;
        }

        if (!Digits(v, 0, 4, out var year) || !Digits(v, 5, 2, out var month) || !Digits(v, 8, 2, out var day)
            || !Digits(v, 11, 2, out var hour) || !Digits(v, 14, 2, out var minute) || !Digits(v, 17, 2, out var second))
        {
            return false;
        }

        var i = 19;
        long ticks = 0;
        if (v[i] == '.')
        {
            i++;
            var scale = TimeSpan.TicksPerSecond / 10;
            while (i < v.Length && char.IsAsciiDigit(v[i]))
            {
                ticks += (v[i] - '0') * scale;
                scale /= 10;
                i++;
            }
        }

        TimeSpan offset;
        if (i == v.Length - 1 && v[i] == 'Z')
        {
            offset = TimeSpan.Zero;
        }
        else if (i == v.Length - 6 && (v[i] == '+' || v[i] == '-') && v[i + 3] == ':'
            && Digits(v, i + 1, 2, out var offsetHours) && Digits(v, i + 4, 2, out var offsetMinutes))
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (v[i] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 59
            || year < 1 || offset > TimeSpan.FromHours(14) || offset < TimeSpan.FromHours(-14))
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
        return true;
    }

    private static bool Digits(string s, int start, int count, out int value)
    {
        value = 0;
        for (var k = start; k < start + count; k++)
        {
            var c = s[k];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>Start of an effective[x] / onset[x] / performed[x] value.</summary>
    public static DateTimeOffset? Start(DataType? value) => value switch
    {
        FhirDateTime dt => Parse(dt.Value),
        Date d => Parse(d.Value),
        Period p => Parse(p.Start) ?? Parse(p.End),
        Instant i => i.Value,
        _ => null,
    };

    /// <summary>End of an effective[x] value (the instant itself for a dateTime).</summary>
    public static DateTimeOffset? End(DataType? value) => value switch
    {
        FhirDateTime dt => Parse(dt.Value),
        Period p => Parse(p.End),
        _ => null,
    };

    public static string Format(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "date unknown";

    public static TimeSpan? DurationDays(Quantity? duration)
    {
        if (duration?.Value is not { } value || value <= 0)
        {
            return null;
        }

        var unit = (duration.Code ?? duration.Unit ?? "d").Trim().ToLowerInvariant();
        double? days = unit switch
        {
            "d" or "day" or "days" => (double)value,
            "wk" or "week" or "weeks" => (double)value * 7,
            "mo" or "month" or "months" => (double)value * 30,
            "h" or "hour" or "hours" => (double)value / 24,
            _ => null,
        };
        // More than ten years of supply in one dispense or order is not plausible: unknown.
        return days is null or > 3650 ? null : TimeSpan.FromDays(days.Value);
    }
}
