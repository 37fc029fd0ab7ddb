using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace KetamineCds.Fhir.Parsing;

/// <summary>The data types inside the engine's resources, and the primitive readers (wrong JSON type: absent).</summary>
internal static partial class RuleDataReader
{
    private static readonly Shape<CodeableConcept> ConceptShape = new Shape<CodeableConcept>(static () => new())
        .Add("coding", static (c, ref v) => c.Coding = Codings(ref v))
        .Add("text", static (c, ref v) => c.Text = String(ref v))
        .Freeze();

    private static readonly Shape<Coding> CodingShape = new Shape<Coding>(static () => new())
        .Add("system", static (c, ref v) => c.System = Repeated(ref v))
        .Add("code", static (c, ref v) => c.Code = String(ref v))
        .Add("display", static (c, ref v) => c.Display = String(ref v))
        .Freeze();

    private static readonly Shape<ResourceReference> ReferenceShape = new Shape<ResourceReference>(static () => new())
        .Add("reference", static (r, ref v) => r.Reference = String(ref v))
        .Add("display", static (r, ref v) => r.Display = String(ref v))
        .Freeze();

    private static readonly Shape<Period> PeriodShape = new Shape<Period>(static () => new())
        .Add("start", static (p, ref v) => p.StartElement = DateTime(ref v))
        .Add("end", static (p, ref v) => p.EndElement = DateTime(ref v))
        .Freeze();

    private static readonly Shape<Quantity> QuantityShape = QuantityProperties(new Shape<Quantity>(static () => new())).Freeze();

    private static readonly Shape<Duration> DurationShape = QuantityProperties(new Shape<Duration>(static () => new())).Freeze();

    private static readonly Shape<Hl7.Fhir.Model.Range> RangeShape = new Shape<Hl7.Fhir.Model.Range>(static () => new())
        .Add("low", static (r, ref v) => r.Low = Quantity(ref v))
        .Add("high", static (r, ref v) => r.High = Quantity(ref v))
        .Freeze();

    private static readonly Shape<Ratio> RatioShape = new Shape<Ratio>(static () => new())
        .Add("numerator", static (r, ref v) => r.Numerator = Quantity(ref v))
        .Add("denominator", static (r, ref v) => r.Denominator = Quantity(ref v))
        .Freeze();

    private static readonly Shape<Dosage> DosageShape = new Shape<Dosage>(static () => new())
        .Choice(
            "asNeeded",
            ("asNeededBoolean", static (d, ref v) => d.AsNeeded = Boolean(ref v) is { } asNeeded ? new FhirBoolean(asNeeded) : null),
            ("asNeededCodeableConcept", static (d, ref v) => d.AsNeeded = Concept(ref v)))
        .Add("timing", static (d, ref v) => d.Timing = Timing(ref v))
        .Add("doseAndRate", static (d, ref v) => d.DoseAndRate = DosesAndRates(ref v))
        .Freeze();

    private static readonly Shape<Dosage.DoseAndRateComponent> DoseAndRateShape = new Shape<Dosage.DoseAndRateComponent>(static () => new())
        .Choice(
            "dose",
            ("doseQuantity", static (d, ref v) => d.Dose = Quantity(ref v)),
            ("doseRange", static (d, ref v) => d.Dose = Range(ref v)))
        .Freeze();

    private static readonly Shape<Timing> TimingShape = new Shape<Timing>(static () => new())
        .Add("repeat", static (t, ref v) => t.Repeat = Repeat(ref v))
        .Add("code", static (t, ref v) => t.Code = Concept(ref v))
        .Freeze();

    private static readonly Shape<Timing.RepeatComponent> RepeatShape = new Shape<Timing.RepeatComponent>(static () => new())
        .Choice(
            "bounds",
            ("boundsDuration", static (r, ref v) => r.Bounds = Duration(ref v)),
            ("boundsPeriod", static (r, ref v) => r.Bounds = Period(ref v)),
            ("boundsRange", Unread))
        .Add("frequency", static (r, ref v) => r.FrequencyElement = Integer(ref v) is { } frequency ? new PositiveInt(frequency) : null)
        .Add("period", static (r, ref v) => r.PeriodElement = Decimal(ref v) is { } period ? new FhirDecimal(period) : null)
        .Add("periodUnit", static (r, ref v) => r.PeriodUnitElement = Code<Timing.UnitsOfTime>(ref v))
        .Freeze();

    private static readonly Shape<HumanName> HumanNameShape = new Shape<HumanName>(static () => new())
        .Add("family", static (n, ref v) => n.Family = String(ref v))
        .Add("given", static (n, ref v) => n.GivenElement = Strings(ref v))
        .Freeze();

    private static Shape<T> QuantityProperties<T>(Shape<T> shape)
        where T : Quantity => shape
        .Add("value", static (q, ref v) => q.ValueElement = Decimal(ref v) is { } value ? new FhirDecimal(value) : null)
        .Add("unit", static (q, ref v) => q.Unit = Repeated(ref v))
        .Add("code", static (q, ref v) => q.Code = Repeated(ref v));

    // One reader per shape, so that shapes refer to each other through methods (not through static fields that the
    // compiler cannot prove initialised while the shapes are being built); lists of a shape: the list readers below.
    // Every reader consumes the whole value, whatever its JSON type: the reader ends on the value's last token.
    private static CodeableConcept? Concept(ref Utf8JsonReader json) => ConceptShape.Read(ref json);

    private static ResourceReference? Reference(ref Utf8JsonReader json) => ReferenceShape.Read(ref json);

    private static Period? Period(ref Utf8JsonReader json) => PeriodShape.Read(ref json);

    private static Quantity? Quantity(ref Utf8JsonReader json) => QuantityShape.Read(ref json);

    private static Duration? Duration(ref Utf8JsonReader json) => DurationShape.Read(ref json);

    private static Hl7.Fhir.Model.Range? Range(ref Utf8JsonReader json) => RangeShape.Read(ref json);

    private static Ratio? Ratio(ref Utf8JsonReader json) => RatioShape.Read(ref json);

    private static Timing? Timing(ref Utf8JsonReader json) => TimingShape.Read(ref json);

    private static Timing.RepeatComponent? Repeat(ref Utf8JsonReader json) => RepeatShape.Read(ref json);

    private static Medication? Medication(ref Utf8JsonReader json) => MedicationShape.Read(ref json);

    private static MedicationRequest.DispenseRequestComponent? DispenseRequest(ref Utf8JsonReader json) => DispenseRequestShape.Read(ref json);

    /// <summary>A choice of an [x] element that no rule reads: it still counts as the element's one value.</summary>
    private static void Unread<T>(T target, ref Utf8JsonReader value) => value.Skip();

    /// <summary>
    /// A JSON array's readable items (objects); anything else reads as an empty list. An array nested in the array is
    /// read as its items, as Firely reads it.
    /// </summary>
    private static List<T> List<T>(ref Utf8JsonReader json, ObjectReader<T> read)
        where T : class
    {
        var result = new List<T>();
        AddItems(ref json, read, result);
        return result;
    }

    private static List<Coding> Codings(ref Utf8JsonReader json) => List(ref json, CodingShape.Reader);

    private static List<Dosage.DoseAndRateComponent> DosesAndRates(ref Utf8JsonReader json) => List(ref json, DoseAndRateShape.Reader);

    private static List<HumanName> HumanNames(ref Utf8JsonReader json) => List(ref json, HumanNameShape.Reader);

    private static List<Dosage> Dosages(ref Utf8JsonReader json) => List(ref json, DosageShape.Reader);

    private static List<Observation.ComponentComponent> Components(ref Utf8JsonReader json) => List(ref json, ComponentShape.Reader);

    private static List<AllergyIntolerance.ReactionComponent> Reactions(ref Utf8JsonReader json) => List(ref json, ReactionShape.Reader);

    private static List<Medication.IngredientComponent> Ingredients(ref Utf8JsonReader json) => List(ref json, IngredientShape.Reader);

    private static void AddItems<T>(ref Utf8JsonReader json, ObjectReader<T> read, List<T> result)
        where T : class
    {
        if (json.TokenType != JsonTokenType.StartArray)
        {
            json.Skip();
            return;
        }

        while (json.Read() && json.TokenType != JsonTokenType.EndArray)
        {
            if (json.TokenType == JsonTokenType.StartArray)
            {
                AddItems(ref json, read, result);
            }
            else if (json.TokenType == JsonTokenType.StartObject)
            {
                if (read(ref json) is { } value)
                {
                    result.Add(value);
                }
            }
        }
    }

    private static List<FhirString> Strings(ref Utf8JsonReader json)
    {
        var result = new List<FhirString>();
        AddStrings(ref json, result);
        return result;
    }

    private static void AddStrings(ref Utf8JsonReader json, List<FhirString> result)
    {
        if (json.TokenType != JsonTokenType.StartArray)
        {
            json.Skip();
            return;
        }

        while (json.Read() && json.TokenType != JsonTokenType.EndArray)
        {
            if (json.TokenType == JsonTokenType.StartArray)
            {
                AddStrings(ref json, result);
            }
            else if (String(ref json) is { } value)
            {
                result.Add(new FhirString(value));
            }
        }
    }

    private static string? String(ref Utf8JsonReader json)
    {
        if (json.TokenType == JsonTokenType.String)
        {
            return json.GetString();
        }

        json.Skip();
        return null;
    }

    /// <summary>A string of terminology that repeats across resources (<see cref="RepeatedStrings"/>); wrong JSON type: absent.</summary>
    private static string? Repeated(ref Utf8JsonReader json)
    {
        if (json.TokenType == JsonTokenType.String)
        {
            return RepeatedStrings.Read(ref json);
        }

        json.Skip();
        return null;
    }

    private static bool? Boolean(ref Utf8JsonReader json)
    {
        switch (json.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            default:
                json.Skip();
                return null;
        }
    }

    private static decimal? Decimal(ref Utf8JsonReader json)
    {
        if (json.TokenType == JsonTokenType.Number)
        {
            return json.TryGetDecimal(out var value) ? value : null;
        }

        json.Skip();
        return null;
    }

    private static int? Integer(ref Utf8JsonReader json)
    {
        if (json.TokenType == JsonTokenType.Number)
        {
            return json.TryGetInt32(out var value) ? value : null;
        }

        json.Skip();
        return null;
    }

    private static FhirDateTime? DateTime(ref Utf8JsonReader json) => String(ref json) is { } value ? new FhirDateTime(value) : null;

    private static Instant? Instant(ref Utf8JsonReader json)
    {
        if (String(ref json) is not { } value)
        {
            return null;
        }

        var instant = new Instant { JsonValue = value };
        return instant.HasValidValue() ? instant : null;
    }

    /// <summary>A known code of the enumeration, else absent (an unknown code is unreadable).</summary>
    private static Code<T>? Code<T>(ref Utf8JsonReader json)
        where T : struct, Enum
        => String(ref json) is { } literal && EnumUtility.ParseLiteral<T>(literal) is { } value ? new Code<T>(value) : null;
}
