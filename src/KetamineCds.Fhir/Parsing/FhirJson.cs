using Hl7.Fhir.Serialization;

namespace KetamineCds.Fhir.Parsing;

/// <summary>The one deserializer for EHR-supplied FHIR JSON (prefetch and search results): Firely's recoverable preset.</summary>
internal static class FhirJson
{
    public static FhirJsonDeserializer Deserializer { get; } = FhirJsonDeserializer.RECOVERABLE;
}
