using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Hl7.Fhir.Model;

namespace KetamineCds.Fhir.Parsing;

/// <summary>
/// Reads the resource types the engine uses straight from the JSON into Firely POCOs holding only the elements that the
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

    /// <summary>Reads one resource of a type <see cref="Reads"/> accepts; false (never an exception) when it is unreadable.</summary>
    public static bool TryRead(JsonElement json, string resourceType, [NotNullWhen(true)] out Resource? resource)
    {
        try
        {
            resource = resourceType switch
            {
                "Patient" => PatientShape.Read(json),
                "Condition" => ConditionShape.Read(json),
                "MedicationRequest" => MedicationRequestShape.Read(json),
                "MedicationStatement" => MedicationStatementShape.Read(json),
                "MedicationDispense" => MedicationDispenseShape.Read(json),
                "Observation" => ObservationShape.Read(json),
                "AllergyIntolerance" => AllergyIntoleranceShape.Read(json),
                "Procedure" => ProcedureShape.Read(json),
                "Medication" => MedicationShape.Read(json),
                _ => null,
            };
            return resource is not null;
        }
#pragma warning disable CA1031 // As with Firely: anything unreadable in EHR data means "skip this resource", never "fail the hook call".
        catch (Exception)
#pragma warning restore CA1031
        {
            resource = null;
            return false;
        }
    }
}
