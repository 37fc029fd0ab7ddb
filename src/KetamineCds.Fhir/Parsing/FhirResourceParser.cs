using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using KetamineCds.Core.Model;

namespace KetamineCds.Fhir.Parsing;

/// <summary>
/// The one entry point for EHR-supplied FHIR JSON (prefetch values, search results, draft orders): Firely's recoverable
/// mode, so unknown elements and odd values never reject a resource. When Firely had to recover from something, the
/// parsed resource is passed through <see cref="FhirRepair"/> so that elements it kept but cannot read (wrong type or
/// shape, unknown code) read as absent instead of throwing later; clean data skips that walk.
/// </summary>
public static class FhirResourceParser
{
    private static readonly Predicate<CodedException>? RecoverableFilter = FhirJsonDeserializer.RECOVERABLE.Settings.ExceptionFilter;

    private static readonly FhirJsonDeserializer Deserializer = new(
        FhirJsonDeserializer.RECOVERABLE.Settings with { ExceptionFilter = CountRecovered });

    /// <summary>Issues recovered from during the current parse (deserialization is synchronous, so per thread is per parse).</summary>
    [ThreadStatic]
    private static int t_recovered;

    /// <summary>Parses one resource; false (never an exception) when it cannot be read at all.</summary>
    public static bool TryParse(JsonElement json, [NotNullWhen(true)] out Resource? resource)
    {
        resource = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        try
        {
            t_recovered = 0;
            var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(json));
            if (!Deserializer.TryDeserializeResource(ref reader, out var parsed, out _) || parsed is null)
            {
                return false;
            }

            if (t_recovered > 0)
            {
                FhirRepair.RemoveUnreadableValues(parsed);
            }

            resource = parsed;
            return true;
        }
#pragma warning disable CA1031 // Any parser failure on EHR data means "skip this resource", never "fail the hook call".
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static bool CountRecovered(CodedException issue)
    {
        var ignore = RecoverableFilter?.Invoke(issue) ?? false;
        if (ignore)
        {
            t_recovered++;
        }

        return ignore;
    }
}
