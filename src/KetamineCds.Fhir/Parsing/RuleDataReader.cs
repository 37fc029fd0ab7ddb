using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Hl7.Fhir.Model;

namespace KetamineCds.Fhir.Parsing;

/// <summary>
/// Reads the resource types the engine uses straight from the JSON (a forward <see cref="Utf8JsonReader"/>, no document)
/// into Firely POCOs holding only the elements that the
/// engine, the patient-scope check and the SMART page read: the shapes in <c>RuleDataReader.Resources.cs</c> and
/// <c>RuleDataReader.DataTypes.cs</c>, one line per element. <c>ScenariosThroughJsonTests</c> holds it to full Firely
/// parsing on every clinical scenario, every Synthea fixture and ~36,000 hostile variants. 5-13x faster than Firely's
/// reflection-driven deserializer, which allocates ~9 bytes per byte of JSON (docs/performance.md).
/// </summary>
/// <remarks>
/// Same reading rules as <see cref="FhirResourceParser"/> with <see cref="Core.Model.FhirRepair"/>: an element of the
/// wrong JSON type or shape, a number that does not fit, an unknown code, reads as absent; the rest of the resource is
/// kept. A property given twice in an object this reader reads (or two choices of one [x] element) makes the resource
/// unreadable, as Firely rejects it: which value is meant cannot be known. Hand-written because no library maps FHIR
/// JSON to POCOs selectively. A rule that starts reading another element adds one line to its shape.
/// </remarks>
internal static partial class RuleDataReader
{
    /// <summary>Whether <paramref name="resourceType"/> is read here (otherwise: <see cref="FhirResourceParser"/>).</summary>
    public static bool Reads(string resourceType) => resourceType is "Patient" or "Condition" or "MedicationRequest"
        or "MedicationStatement" or "MedicationDispense" or "Observation" or "AllergyIntolerance" or "Procedure" or "Medication";

    /// <summary>
    /// Reads one resource of a type <see cref="Reads"/> accepts, the reader on its <c>{</c>; false (never an exception
    /// for unreadable content) when it is unreadable. Either way the reader ends on the resource's <c>}</c>. Malformed
    /// JSON is the one exception (<see cref="JsonException"/>): the reader cannot go on, so neither can its caller.
    /// </summary>
    public static bool TryRead(ref Utf8JsonReader json, string resourceType, [NotNullWhen(true)] out Resource? resource)
    {
        var depth = json.CurrentDepth;
        try
        {
            resource = resourceType switch
            {
                "Patient" => PatientShape.Read(ref json),
                "Condition" => ConditionShape.Read(ref json),
                "MedicationRequest" => MedicationRequestShape.Read(ref json),
                "MedicationStatement" => MedicationStatementShape.Read(ref json),
                "MedicationDispense" => MedicationDispenseShape.Read(ref json),
                "Observation" => ObservationShape.Read(ref json),
                "AllergyIntolerance" => AllergyIntoleranceShape.Read(ref json),
                "Procedure" => ProcedureShape.Read(ref json),
                "Medication" => MedicationShape.Read(ref json),
                _ => SkipValue(ref json),
            };
            return resource is not null;
        }
#pragma warning disable CA1031 // As with Firely: anything unreadable in EHR data means "skip this resource", never "fail the hook call".
        catch (Exception ex) when (ex is not JsonException)
#pragma warning restore CA1031
        {
            // The reader stopped somewhere inside the resource, always on a whole token: on to the resource's end.
            SkipToEndOfObject(ref json, depth);
            resource = null;
            return false;
        }
    }

    /// <summary>
    /// The <c>resourceType</c> of the object the reader (a copy: the caller's stays where it is) is on; null when it is
    /// not an object, has none (<paramref name="found"/> false) or has one that is not a string (<paramref name="found"/>
    /// true). Usually the first property, so this reads one or two tokens. Only the first <c>resourceType</c> is seen: the
    /// readers of the object make one given twice unreadable.
    /// </summary>
    public static string? FindResourceType(Utf8JsonReader json, out bool found)
    {
        found = false;
        if (json.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var isType = json.ValueTextEquals("resourceType"u8);
            json.Read();
            if (isType)
            {
                found = true;
                return json.TokenType == JsonTokenType.String ? TypeName(ref json) : null;
            }

            json.Skip();
        }

        return null;
    }

    /// <summary>The type name; null when its text is not valid UTF-8 (or an unpaired surrogate): not a type anyone can name.</summary>
    private static string? TypeName(ref Utf8JsonReader json)
    {
        try
        {
            return KnownTypeName(ref json) ?? json.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The engine's resource type names without allocating a string per resource.</summary>
    private static string? KnownTypeName(ref Utf8JsonReader json)
    {
        foreach (var (utf8, name) in EngineTypes)
        {
            if (json.ValueTextEquals(utf8))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The names with their UTF-8 bytes: compared as bytes, no transcoding per resource.</summary>
    private static readonly (byte[] Utf8, string Name)[] EngineTypes =
    [
        .. new[]
        {
            "Observation", "MedicationRequest", "Condition", "MedicationDispense", "MedicationStatement", "Bundle", "Patient",
            "AllergyIntolerance", "Procedure", "Medication", "OperationOutcome",
        }.Select(name => (System.Text.Encoding.UTF8.GetBytes(name), name)),
    ];

    /// <summary>Moves the reader from anywhere inside an object (or its <c>{</c>) at <paramref name="depth"/> to its <c>}</c>.</summary>
    internal static void SkipToEndOfObject(ref Utf8JsonReader json, int depth)
    {
        while (!(json.TokenType == JsonTokenType.EndObject && json.CurrentDepth == depth))
        {
            if (!json.Read())
            {
                throw new JsonException("Unexpected end of JSON.");
            }
        }
    }

    private static Resource? SkipValue(ref Utf8JsonReader json)
    {
        json.Skip();
        return null;
    }
}
