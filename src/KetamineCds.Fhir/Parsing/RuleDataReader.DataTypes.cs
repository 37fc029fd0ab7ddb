using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace KetamineCds.Fhir.Parsing;

/// <summary>The data types inside the engine's resources, and the primitive readers (wrong JSON type: absent).</summary>
internal static partial class RuleDataReader
{
    private static readonly Shape<CodeableConcept> ConceptShape = new Shape<CodeableConcept>(static () => new())
        .Add("coding", static (c, v) => c.Coding = Codings(v))
        .Add("text", static (c, v) => c.Text = String(v))
        .Freeze();

    private static readonly Shape<Coding> CodingShape = new Shape<Coding>(static () => new())
        .Add("system", static (c, v) => c.System = String(v))
        .Add("code", static (c, v) => c.Code = String(v))
        .Add("display", static (c, v) => c.Display = String(v))
        .Freeze();

    private static readonly Shape<ResourceReference> ReferenceShape = new Shape<ResourceReference>(static () => new())
        .Add("reference", static (r, v) => r.Reference = String(v))
        .Add("display", static (r, v) => r.Display = String(v))
        .Freeze();

    private static readonly Shape<Period> PeriodShape = new Shape<Period>(static () => new())
        .Add("start", static (p, v) => p.StartElement = DateTime(v))
        .Add("end", static (p, v) => p.EndElement = DateTime(v))
        .Freeze();

    private static readonly Shape<Quantity> QuantityShape = QuantityProperties(new Shape<Quantity>(static () => new())).Freeze();

    private static readonly Shape<Duration> DurationShape = QuantityProperties(new Shape<Duration>(static () => new())).Freeze();

    private static readonly Shape<Hl7.Fhir.Model.Range> RangeShape = new Shape<Hl7.Fhir.Model.Range>(static () => new())
        .Add("low", static (r, v) => r.Low = Quantity(v))
        .Add("high", static (r, v) => r.High = Quantity(v))
        .Freeze();

    private static readonly Shape<Ratio> RatioShape = new Shape<Ratio>(static () => new())
        .Add("numerator", static (r, v) => r.Numerator = Quantity(v))
        .Add("denominator", static (r, v) => r.Denominator = Quantity(v))
        .Freeze();

    private static readonly Shape<Dosage> DosageShape = new Shape<Dosage>(static () => new())
        .Choice(
            "asNeeded",
            ("asNeededBoolean", static (d, v) => d.AsNeeded = Boolean(v) is { } asNeeded ? new FhirBoolean(asNeeded) : null),
            ("asNeededCodeableConcept", static (d, v) => d.AsNeeded = Concept(v)))
        .Add("timing", static (d, v) => d.Timing = Timing(v))
        .Add("doseAndRate", static (d, v) => d.DoseAndRate = DosesAndRates(v))
        .Freeze();

    private static readonly Shape<Dosage.DoseAndRateComponent> DoseAndRateShape = new Shape<Dosage.DoseAndRateComponent>(static () => new())
        .Choice(
            "dose",
            ("doseQuantity", static (d, v) => d.Dose = Quantity(v)),
            ("doseRange", static (d, v) => d.Dose = Range(v)))
        .Freeze();

    private static readonly Shape<Timing> TimingShape = new Shape<Timing>(static () => new())
        .Add("repeat", static (t, v) => t.Repeat = Repeat(v))
        .Add("code", static (t, v) => t.Code = Concept(v))
        .Freeze();

    private static readonly Shape<Timing.RepeatComponent> RepeatShape = new Shape<Timing.RepeatComponent>(static () => new())
        .Choice(
            "bounds",
            ("boundsDuration", static (r, v) => r.Bounds = Duration(v)),
            ("boundsPeriod", static (r, v) => r.Bounds = Period(v)),
            ("boundsRange", Unread))
        .Add("frequency", static (r, v) => r.FrequencyElement = Integer(v) is { } frequency ? new PositiveInt(frequency) : null)
        .Add("period", static (r, v) => r.PeriodElement = Decimal(v) is { } period ? new FhirDecimal(period) : null)
        .Add("periodUnit", static (r, v) => r.PeriodUnitElement = Code<Timing.UnitsOfTime>(v))
        .Freeze();

    private static readonly Shape<HumanName> HumanNameShape = new Shape<HumanName>(static () => new())
        .Add("family", static (n, v) => n.Family = String(v))
        .Add("given", static (n, v) => n.GivenElement = Strings(v))
        .Freeze();

    private static Shape<T> QuantityProperties<T>(Shape<T> shape)
        where T : Quantity => shape
        .Add("value", static (q, v) => q.ValueElement = Decimal(v) is { } value ? new FhirDecimal(value) : null)
        .Add("unit", static (q, v) => q.Unit = String(v))
        .Add("code", static (q, v) => q.Code = String(v));

    // One reader per shape, so that shapes refer to each other through methods (not through static fields that the
    // compiler cannot prove initialised while the shapes are being built); lists of a shape: the list readers below.
    private static CodeableConcept? Concept(JsonElement json) => ConceptShape.Read(json);

    private static ResourceReference? Reference(JsonElement json) => ReferenceShape.Read(json);

    private static Period? Period(JsonElement json) => PeriodShape.Read(json);

    private static Quantity? Quantity(JsonElement json) => QuantityShape.Read(json);

    private static Duration? Duration(JsonElement json) => DurationShape.Read(json);

    private static Hl7.Fhir.Model.Range? Range(JsonElement json) => RangeShape.Read(json);

    private static Ratio? Ratio(JsonElement json) => RatioShape.Read(json);

    private static Timing? Timing(JsonElement json) => TimingShape.Read(json);

    private static Timing.RepeatComponent? Repeat(JsonElement json) => RepeatShape.Read(json);

    private static Medication? Medication(JsonElement json) => MedicationShape.Read(json);

    private static MedicationRequest.DispenseRequestComponent? DispenseRequest(JsonElement json) => DispenseRequestShape.Read(json);

    /// <summary>A choice of an [x] element that no rule reads: it still counts as the element's one value.</summary>
    private static void Unread<T>(T target, JsonElement value)
    {
    }

    /// <summary>
    /// A JSON array's readable items (objects); anything else reads as an empty list. An array nested in the array is
    /// read as its items, as Firely reads it.
    /// </summary>
    private static List<T> List<T>(JsonElement json, Func<JsonElement, T?> read)
        where T : class
    {
        var result = new List<T>(Capacity(json));
        AddItems(json, read, result);
        return result;
    }

    /// <summary>The array's length, the usual final count (no regrowth); 0 for anything else.</summary>
    private static int Capacity(JsonElement json) => json.ValueKind == JsonValueKind.Array ? json.GetArrayLength() : 0;

    private static List<Coding> Codings(JsonElement json) => List(json, CodingShape.Reader);

    private static List<Dosage.DoseAndRateComponent> DosesAndRates(JsonElement json) => List(json, DoseAndRateShape.Reader);

    private static List<HumanName> HumanNames(JsonElement json) => List(json, HumanNameShape.Reader);

    private static List<Dosage> Dosages(JsonElement json) => List(json, DosageShape.Reader);

    private static List<Observation.ComponentComponent> Components(JsonElement json) => List(json, ComponentShape.Reader);

    private static List<AllergyIntolerance.ReactionComponent> Reactions(JsonElement json) => List(json, ReactionShape.Reader);

    private static List<Medication.IngredientComponent> Ingredients(JsonElement json) => List(json, IngredientShape.Reader);

    private static void AddItems<T>(JsonElement json, Func<JsonElement, T?> read, List<T> result)
        where T : class
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var item in json.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                AddItems(item, read, result);
            }
            else if (item.ValueKind == JsonValueKind.Object && read(item) is { } value)
            {
                result.Add(value);
            }
        }
    }

    private static List<FhirString> Strings(JsonElement json)
    {
        var result = new List<FhirString>(Capacity(json));
        AddStrings(json, result);
        return result;
    }

    private static void AddStrings(JsonElement json, List<FhirString> result)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var item in json.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                AddStrings(item, result);
            }
            else if (String(item) is { } value)
            {
                result.Add(new FhirString(value));
            }
        }
    }

    private static string? String(JsonElement json) => json.ValueKind == JsonValueKind.String ? json.GetString() : null;

    private static bool? Boolean(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static decimal? Decimal(JsonElement json) =>
        json.ValueKind == JsonValueKind.Number && json.TryGetDecimal(out var value) ? value : null;

    private static int? Integer(JsonElement json) =>
        json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var value) ? value : null;

    private static FhirDateTime? DateTime(JsonElement json) => String(json) is { } value ? new FhirDateTime(value) : null;

    private static Instant? Instant(JsonElement json)
    {
        if (String(json) is not { } value)
        {
            return null;
        }

        var instant = new Instant { JsonValue = value };
        return instant.HasValidValue() ? instant : null;
    }

    /// <summary>A known code of the enumeration, else absent (an unknown code is unreadable).</summary>
    private static Code<T>? Code<T>(JsonElement json)
        where T : struct, Enum
        => String(json) is { } literal && EnumUtility.ParseLiteral<T>(literal) is { } value ? new Code<T>(value) : null;
}
