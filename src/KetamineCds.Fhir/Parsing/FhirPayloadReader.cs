using System.Text.Json;
using Hl7.Fhir.Model;

namespace KetamineCds.Fhir.Parsing;

/// <summary>
/// Turns prefetch values and response bodies into Firely POCOs without ever throwing: a Bundle is read entry by
/// entry, so one broken entry is skipped and counted while the rest of the Bundle is kept. Firely's recoverable mode
/// accepts most oddities (unknown elements and codes, wrong JSON types, invalid dates: the data lands in the POCO or its
/// overflow, so readers of the POCO must tolerate invalid primitive values). What is skipped: entries without a
/// resource, resources without a known R4 resourceType (Firely would build a DynamicResource), and resources Firely
/// rejects even in recoverable mode (e.g. duplicate properties).
/// </summary>
internal static class FhirPayloadReader
{
    public static FhirPayload Read(ReadOnlyMemory<byte> json)
    {
        if (json.IsEmpty)
        {
            return FhirPayload.Unreadable;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }
        catch (JsonException)
        {
            return FhirPayload.Unreadable;
        }
    }

    public static FhirPayload Read(JsonElement value)
    {
        var resourceType = ResourceTypeOf(value);
        return resourceType switch
        {
            null => FhirPayload.Unreadable,
            "OperationOutcome" => FhirPayload.Outcome,
            _ when !ModelInfo.IsKnownResource(resourceType) => FhirPayload.Unreadable,
            "Bundle" => ReadBundle(value),
            _ => TryParseResource(value, resourceType, out var resource)
                ? new FhirPayload { Status = FhirPayloadStatus.Usable, Resources = [resource] }
                : FhirPayload.Unreadable,
        };
    }

    private static FhirPayload ReadBundle(JsonElement bundleJson)
    {
        var entries = new List<Bundle.EntryComponent>();
        int skipped = 0, outcomes = 0, errorOutcomes = 0;
        if (bundleJson.TryGetProperty("entry", out var entryArray) && entryArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in entryArray.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("resource", out var resourceJson))
                {
                    skipped++;
                    continue;
                }

                var resourceType = ResourceTypeOf(resourceJson);
                if (resourceType == "OperationOutcome")
                {
                    outcomes++;
                    errorOutcomes += IsErrorOutcome(resourceJson) ? 1 : 0;
                    continue;
                }

                if (resourceType is not null && ModelInfo.IsKnownResource(resourceType) && TryParseResource(resourceJson, resourceType, out var resource))
                {
                    entries.Add(new Bundle.EntryComponent { FullUrl = StringProperty(entry, "fullUrl"), Resource = resource });
                }
                else
                {
                    skipped++;
                }
            }
        }

        return new FhirPayload
        {
            Status = FhirPayloadStatus.Usable,
            IsBundle = true,
            Resources = [new Bundle { Entry = entries }],
            Skipped = skipped,
            NextLink = NextLinkOf(bundleJson),
            OutcomeEntries = outcomes,
            ErrorOutcomeEntries = errorOutcomes,
        };
    }

    /// <summary>The engine's resource types are read straight from the JSON; any other type through Firely.</summary>
    private static bool TryParseResource(JsonElement json, string resourceType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Resource? resource)
        => RuleDataReader.Reads(resourceType)
            ? RuleDataReader.TryRead(json, resourceType, out resource)
            : FhirResourceParser.TryParse(json, out resource);

    private static string? ResourceTypeOf(JsonElement json)
        => json.ValueKind == JsonValueKind.Object ? StringProperty(json, "resourceType") : null;

    private static string? StringProperty(JsonElement json, string name)
        => json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? NextLinkOf(JsonElement bundleJson)
    {
        if (!bundleJson.TryGetProperty("link", out var links) || links.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var link in links.EnumerateArray())
        {
            if (link.ValueKind == JsonValueKind.Object && StringProperty(link, "relation") == "next")
            {
                return StringProperty(link, "url");
            }
        }

        return null;
    }

    private static bool IsErrorOutcome(JsonElement outcome)
    {
        if (!outcome.TryGetProperty("issue", out var issues) || issues.ValueKind != JsonValueKind.Array || issues.GetArrayLength() == 0)
        {
            return true;
        }

        foreach (var issue in issues.EnumerateArray())
        {
            var severity = issue.ValueKind == JsonValueKind.Object ? StringProperty(issue, "severity") : null;
            if (severity is "error" or "fatal" or null)
            {
                return true;
            }
        }

        return false;
    }
}
