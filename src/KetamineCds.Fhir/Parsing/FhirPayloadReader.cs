using System.Text.Json;
using Hl7.Fhir.Model;

namespace KetamineCds.Fhir.Parsing;

/// <summary>
/// Turns prefetch values and response bodies into Firely POCOs without ever throwing for unreadable content, in one
/// forward pass over the JSON (no document is built): a Bundle is read entry by entry, so one broken entry is skipped
/// and counted while the rest of the Bundle is kept. The engine's resource types are read by
/// <see cref="RuleDataReader"/>; any other type through Firely's recoverable mode (<see cref="FhirResourceParser"/>),
/// which accepts most oddities, so readers of the POCO must tolerate invalid primitive values. What is skipped: entries
/// without a resource, resources without a known R4 resourceType (Firely would build a DynamicResource), and resources
/// that cannot be read even leniently (e.g. duplicate properties).
/// </summary>
internal static class FhirPayloadReader
{
    /// <summary>Nesting allowed in a FHIR server's response body (System.Text.Json's default).</summary>
    private static readonly JsonReaderOptions BodyOptions = new() { MaxDepth = 64 };

    /// <summary>A whole response body; malformed JSON reads as unreadable.</summary>
    public static FhirPayload Read(ReadOnlyMemory<byte> json)
    {
        if (json.IsEmpty)
        {
            return FhirPayload.Unreadable;
        }

        try
        {
            var reader = new Utf8JsonReader(json.Span, BodyOptions);
            reader.Read();
            var payload = Read(ref reader);
            while (reader.Read())
            {
                // Trailing content after the resource is malformed JSON: the reader throws.
            }

            return payload;
        }
        catch (JsonException)
        {
            return FhirPayload.Unreadable;
        }
    }

    /// <summary>
    /// The value the reader is on (its first token), consumed whole: the reader ends on its last token. Only malformed
    /// JSON throws (<see cref="JsonException"/>): the reader cannot go on.
    /// </summary>
    public static FhirPayload Read(ref Utf8JsonReader reader) => Read(ref reader, RuleDataReader.FindResourceType(reader, out _));

    /// <summary>As <see cref="Read(ref Utf8JsonReader)"/>, the value's resourceType already found (<see cref="RuleDataReader.FindResourceType"/>).</summary>
    public static FhirPayload Read(ref Utf8JsonReader reader, string? resourceType)
    {
        switch (resourceType)
        {
            case null:
                reader.Skip();
                return FhirPayload.Unreadable;
            case "OperationOutcome":
                reader.Skip();
                return FhirPayload.Outcome;
            case "Bundle":
                return ReadBundle(ref reader);
            case var _ when !ModelInfo.IsKnownResource(resourceType):
                reader.Skip();
                return FhirPayload.Unreadable;
            default:
                return TryParseResource(ref reader, resourceType, out var resource)
                    ? new FhirPayload { Status = FhirPayloadStatus.Usable, Resources = [resource] }
                    : FhirPayload.Unreadable;
        }
    }

    private static FhirPayload ReadBundle(ref Utf8JsonReader reader)
    {
        var entries = new BundleEntries();
        string? nextLink = null;
        var resourceTypes = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resourceType"u8))
            {
                resourceTypes++;
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("entry"u8))
            {
                reader.Read();
                entries = new BundleEntries(); // given twice: the last one counts, as a parsed document reads it
                entries.Read(ref reader);
            }
            else if (reader.ValueTextEquals("link"u8))
            {
                reader.Read();
                nextLink = NextLinkOf(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (resourceTypes > 1)
        {
            return FhirPayload.Unreadable; // which type is meant cannot be known (Firely rejects it too)
        }

        return new FhirPayload
        {
            Status = FhirPayloadStatus.Usable,
            IsBundle = true,
            Resources = [new Bundle { Entry = entries.Entries }],
            Skipped = entries.Skipped,
            NextLink = nextLink,
            OutcomeEntries = entries.Outcomes,
            ErrorOutcomeEntries = entries.ErrorOutcomes,
        };
    }

    /// <summary>A Bundle's <c>entry</c> array, read entry by entry.</summary>
    private sealed class BundleEntries
    {
        public List<Bundle.EntryComponent> Entries { get; } = [];

        public int Skipped { get; private set; }

        public int Outcomes { get; private set; }

        public int ErrorOutcomes { get; private set; }

        public void Read(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    Skipped++;
                    reader.Skip();
                    continue;
                }

                ReadEntry(ref reader);
            }
        }

        private void ReadEntry(ref Utf8JsonReader reader)
        {
            string? fullUrl = null;
            Resource? resource = null;
            var hasResource = false;
            var isOutcome = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("fullUrl"u8))
                {
                    reader.Read();
                    fullUrl = StringValue(ref reader);
                }
                else if (reader.ValueTextEquals("resource"u8))
                {
                    reader.Read();
                    hasResource = true;
                    (resource, isOutcome) = ReadEntryResource(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (resource is not null)
            {
                Entries.Add(new Bundle.EntryComponent { FullUrl = fullUrl, Resource = resource });
            }
            else if (!isOutcome || !hasResource)
            {
                Skipped++;
            }
        }

        private (Resource? Resource, bool IsOutcome) ReadEntryResource(ref Utf8JsonReader reader)
        {
            var resourceType = RuleDataReader.FindResourceType(reader, out _);
            if (resourceType == "OperationOutcome")
            {
                Outcomes++;
                ErrorOutcomes += IsErrorOutcome(ref reader) ? 1 : 0;
                return (null, true);
            }

            if (resourceType is null || !ModelInfo.IsKnownResource(resourceType))
            {
                reader.Skip();
                return (null, false);
            }

            return TryParseResource(ref reader, resourceType, out var resource) ? (resource, false) : (null, false);
        }
    }

    /// <summary>The engine's resource types are read straight from the JSON; any other type through Firely.</summary>
    private static bool TryParseResource(ref Utf8JsonReader reader, string resourceType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Resource? resource)
    {
        if (RuleDataReader.Reads(resourceType))
        {
            return RuleDataReader.TryRead(ref reader, resourceType, out resource);
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return FhirResourceParser.TryParse(document.RootElement, out resource);
    }

    /// <summary>The first <c>link</c> with relation <c>next</c>: its <c>url</c>, as written.</summary>
    private static string? NextLinkOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        string? next = null;
        var found = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? relation = null, url = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRelation = reader.ValueTextEquals("relation"u8);
                var isUrl = !isRelation && reader.ValueTextEquals("url"u8);
                reader.Read();
                if (isRelation)
                {
                    relation = StringValue(ref reader);
                }
                else if (isUrl)
                {
                    url = StringValue(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (!found && relation == "next")
            {
                found = true;
                next = url;
            }
        }

        return next;
    }

    /// <summary>Whether an OperationOutcome carries an error or fatal issue, or an issue without severity, or no issue at all.</summary>
    private static bool IsErrorOutcome(ref Utf8JsonReader reader)
    {
        var isError = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIssue = reader.ValueTextEquals("issue"u8);
            reader.Read();
            if (!isIssue)
            {
                reader.Skip();
            }
            else if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                isError = true;
            }
            else
            {
                isError = IssuesHoldAnError(ref reader);
            }
        }

        return isError;
    }

    private static bool IssuesHoldAnError(ref Utf8JsonReader reader)
    {
        var count = 0;
        var error = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            string? severity = null;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isSeverity = reader.ValueTextEquals("severity"u8);
                    reader.Read();
                    if (isSeverity)
                    {
                        severity = StringValue(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }

            error |= severity is "error" or "fatal" or null;
        }

        return count == 0 || error;
    }

    /// <summary>A string value, else null (any other JSON value is consumed); text that is not valid UTF-8 reads as absent.</summary>
    private static string? StringValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
