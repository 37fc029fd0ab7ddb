using System.Text.Json;

namespace KetamineCds.Fhir.Parsing;

/// <summary>
/// One value of a hook request's <c>prefetch</c>, read as the request body is read (one forward pass, no document):
/// JSON <c>null</c> ("the EHR has no data"), or a FHIR resource or Bundle already turned into what the engine reads.
/// </summary>
public sealed class PrefetchValue
{
    private static readonly JsonReaderOptions ElementOptions = new() { MaxDepth = 256 };

    private PrefetchValue(bool isNull, bool isObject, bool hasResourceType, FhirPayload payload)
    {
        IsNull = isNull;
        IsObject = isObject;
        HasResourceType = hasResourceType;
        Payload = payload;
    }

    /// <summary>The value was JSON <c>null</c>: the EHR says there is no data (not "fetch it yourself").</summary>
    public bool IsNull { get; }

    /// <summary>The value was a JSON object (the only other shape a prefetch value may have).</summary>
    public bool IsObject { get; }

    /// <summary>The object has a <c>resourceType</c> (of any JSON type): it claims to be a FHIR resource.</summary>
    public bool HasResourceType { get; }

    internal FhirPayload Payload { get; }

    /// <summary>
    /// Reads the value the reader is on (its first token), consuming it whole. Unreadable FHIR content is recorded, never
    /// thrown; malformed JSON throws <see cref="JsonException"/> (the reader cannot go on).
    /// </summary>
    public static PrefetchValue Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return new PrefetchValue(isNull: true, isObject: false, hasResourceType: false, FhirPayload.Unreadable);
            case JsonTokenType.StartObject:
                var resourceType = RuleDataReader.FindResourceType(reader, out var hasResourceType);
                return new PrefetchValue(isNull: false, isObject: true, hasResourceType, FhirPayloadReader.Read(ref reader, resourceType));
            default:
                reader.Skip();
                return new PrefetchValue(isNull: false, isObject: false, hasResourceType: false, FhirPayload.Unreadable);
        }
    }

    /// <summary>A value of an already parsed document (tests, tools).</summary>
    public static PrefetchValue From(JsonElement value)
    {
        var reader = new Utf8JsonReader(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value), ElementOptions);
        reader.Read();
        return Read(ref reader);
    }
}
