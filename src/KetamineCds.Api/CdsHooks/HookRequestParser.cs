using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using KetamineCds.Fhir.Parsing;

namespace KetamineCds.Api.CdsHooks;

/// <summary>
/// Parses and validates a service request body against CDS Hooks 2.0 and the hook's context definition.
/// Every problem becomes a short message for a 400 OperationOutcome; nothing throws for bad input.
/// </summary>
public static partial class HookRequestParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    /// <summary>Longest hookInstance (and feedback card id) accepted: a UUID is 36 characters; this bounds what is stored and logged.</summary>
    public const int MaxIdentifierLength = 128;

    /// <summary>A FHIR id (R4 <c>id</c> datatype).</summary>
    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex FhirIdRegex();

    /// <summary><c>ResourceType/id</c> as used by <c>userId</c> and <c>selections</c>.</summary>
    [GeneratedRegex("^[A-Z][A-Za-z]+/[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex RelativeReferenceRegex();

    public static HookRequestParseResult Parse(ReadOnlyMemory<byte> body, CdsServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            return HookRequestParseResult.Fail("The request body is not valid JSON.");
        }

        var errors = new List<string>();
        try
        {
            var request = Validate(document, service, errors);
            if (request is null)
            {
                document.Dispose();
                return HookRequestParseResult.Fail(errors);
            }

            return HookRequestParseResult.Ok(request);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            document.Dispose();
            errors.Add("The request body could not be read as a CDS Hooks request.");
            return HookRequestParseResult.Fail(errors);
        }
    }

    private static HookRequest? Validate(JsonDocument document, CdsServiceDefinition service, List<string> errors)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("The request body must be a JSON object.");
            return null;
        }

        var hook = RequiredString(root, "hook", "hook", errors);
        var hookInstance = RequiredString(root, "hookInstance", "hookInstance", errors);
        if (hookInstance is { Length: > MaxIdentifierLength })
        {
            errors.Add($"hookInstance is longer than {MaxIdentifierLength} characters (a UUID is 36).");
        }
        if (hook is not null && hook != service.Hook)
        {
            errors.Add($"Service '{service.Id}' answers hook '{service.Hook}', not '{hook}'.");
        }

        var fhirServer = OptionalAbsoluteUrl(root, "fhirServer", errors);
        var accessToken = ReadFhirAuthorization(root, errors, out var authorizedPatient);
        var hasAuthorization = root.TryGetProperty("fhirAuthorization", out var auth) && auth.ValueKind != JsonValueKind.Null;
        var hasFhirServer = root.TryGetProperty("fhirServer", out var server) && server.ValueKind != JsonValueKind.Null;
        if (hasAuthorization && !hasFhirServer)
        {
            errors.Add("fhirAuthorization requires fhirServer.");
        }

        CheckOptionalObject(root, "extension", "extension", errors);
        var prefetch = ReadPrefetch(root, service, errors);

        if (!root.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
        {
            errors.Add(context.ValueKind == JsonValueKind.Undefined ? "context is required." : "context must be a JSON object.");
            return null;
        }

        var userId = RequiredString(context, "userId", "context.userId", errors);
        var patientId = RequiredString(context, "patientId", "context.patientId", errors);
        var encounterId = OptionalString(context, "encounterId", "context.encounterId", errors);
        if (userId is not null && !RelativeReferenceRegex().IsMatch(userId))
        {
            errors.Add("context.userId must be a relative reference such as Practitioner/123.");
        }

        if (patientId is not null && !FhirIdRegex().IsMatch(patientId))
        {
            errors.Add("context.patientId must be a FHIR id.");
        }

        // A token scoped to another patient than the chart's: the EHR's context is inconsistent. Refused rather than
        // reading one patient's data (or advising) under the other's context.
        if (patientId is not null && authorizedPatient is not null && !string.Equals(authorizedPatient, patientId, StringComparison.Ordinal))
        {
            errors.Add("fhirAuthorization.patient differs from context.patientId.");
        }

        IReadOnlyList<Resource> draftOrders = [];
        IReadOnlyList<string> selections = [];
        var draftMedications = new Dictionary<string, Medication>(StringComparer.Ordinal);
        if (service.Hook is "order-select" or "order-sign")
        {
            draftOrders = ReadDraftOrders(context, errors, draftMedications);
        }

        if (service.Hook == "order-select")
        {
            selections = ReadSelections(context, errors);
        }

        if (errors.Count > 0 || hook is null || hookInstance is null || userId is null || patientId is null)
        {
            return null;
        }

        return new HookRequest(document)
        {
            Hook = hook,
            HookInstance = hookInstance,
            FhirServer = fhirServer,
            AccessToken = accessToken,
            PatientId = patientId,
            UserId = userId,
            EncounterId = encounterId,
            DraftOrders = draftOrders,
            DraftMedications = draftMedications,
            Selections = selections,
            Prefetch = prefetch,
            PrefetchTokens = PrefetchTokens.From(patientId, userId, encounterId),
        };
    }

    private static string? RequiredString(JsonElement parent, string name, string path, List<string> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{path} is required.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            errors.Add($"{path} must be a non-empty string.");
            return null;
        }

        return value.GetString();
    }

    private static string? OptionalString(JsonElement parent, string name, string path, List<string> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path} must be a string.");
            return null;
        }

        return value.GetString();
    }

    private static Uri? OptionalAbsoluteUrl(JsonElement root, string name, List<string> errors)
    {
        var text = OptionalString(root, name, name, errors);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{name} must be an absolute http(s) URL.");
            return null;
        }

        return uri;
    }

    private static void CheckOptionalObject(JsonElement parent, string name, string path, List<string> errors)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            errors.Add($"{path} must be a JSON object.");
        }
    }

    private static string? ReadFhirAuthorization(JsonElement root, List<string> errors, out string? patient)
    {
        patient = null;
        if (!root.TryGetProperty("fhirAuthorization", out var auth) || auth.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (auth.ValueKind != JsonValueKind.Object)
        {
            errors.Add("fhirAuthorization must be a JSON object.");
            return null;
        }

        var token = RequiredString(auth, "access_token", "fhirAuthorization.access_token", errors);
        var tokenType = RequiredString(auth, "token_type", "fhirAuthorization.token_type", errors);
        if (tokenType is not null && !string.Equals(tokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("fhirAuthorization.token_type must be 'Bearer'.");
        }

        patient = OptionalString(auth, "patient", "fhirAuthorization.patient", errors);
        if (auth.TryGetProperty("expires_in", out var expires) && expires.ValueKind != JsonValueKind.Number)
        {
            errors.Add("fhirAuthorization.expires_in must be a number.");
        }

        return token;
    }

    /// <summary>
    /// The prefetch values of the keys this service asks for (its discovery templates). Keys it never asked for are
    /// ignored unread, whatever their value: the spec's own examples carry such keys (<c>"user": "123"</c>).
    /// </summary>
    private static Dictionary<string, JsonElement>? ReadPrefetch(JsonElement root, CdsServiceDefinition service, List<string> errors)
    {
        if (!root.TryGetProperty("prefetch", out var prefetch) || prefetch.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (prefetch.ValueKind != JsonValueKind.Object)
        {
            errors.Add("prefetch must be a JSON object.");
            return null;
        }

        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in prefetch.EnumerateObject())
        {
            if (service.Prefetch is not { } requested || !requested.ContainsKey(property.Name))
            {
                continue;
            }

            if (property.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                errors.Add($"prefetch.{property.Name} must be a FHIR resource or null.");
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.Object && !property.Value.TryGetProperty("resourceType", out _))
            {
                errors.Add($"prefetch.{property.Name} is not a FHIR resource (no resourceType).");
                continue;
            }

            result[property.Name] = property.Value;
        }

        return result;
    }

    private static List<Resource> ReadDraftOrders(JsonElement context, List<string> errors, Dictionary<string, Medication> medications)
    {
        if (!context.TryGetProperty("draftOrders", out var draft) || draft.ValueKind == JsonValueKind.Null)
        {
            errors.Add("context.draftOrders is required.");
            return [];
        }

        if (draft.ValueKind != JsonValueKind.Object
            || !draft.TryGetProperty("resourceType", out var type)
            || type.ValueKind != JsonValueKind.String
            || type.GetString() != "Bundle")
        {
            errors.Add("context.draftOrders must be a FHIR Bundle.");
            return [];
        }

        if (!FhirResourceParser.TryParse(draft, out var parsed) || parsed is not Bundle bundle)
        {
            errors.Add("context.draftOrders could not be read as a FHIR Bundle.");
            return [];
        }

        var orders = new List<Resource>();
        var index = 0;
        foreach (var entry in bundle.Entry)
        {
            if (entry?.Resource is null)
            {
                errors.Add($"context.draftOrders entry {index} has no resource.");
            }
            else if (entry.Resource.Id is { } id && !FhirIdRegex().IsMatch(id))
            {
                errors.Add($"context.draftOrders entry {index} has an invalid FHIR id.");
            }
            else
            {
                orders.Add(entry.Resource);
                if (entry.Resource is Medication medication)
                {
                    IndexMedication(medications, medication, entry.FullUrl);
                }
            }

            index++;
        }

        return orders;
    }

    /// <summary>Keys a draft order's <c>medicationReference</c> may use: <c>Medication/{id}</c> and the entry's fullUrl.</summary>
    private static void IndexMedication(Dictionary<string, Medication> medications, Medication medication, string? fullUrl)
    {
        if (!string.IsNullOrEmpty(medication.Id))
        {
            medications.TryAdd("Medication/" + medication.Id, medication);
        }

        if (!string.IsNullOrEmpty(fullUrl))
        {
            medications.TryAdd(fullUrl, medication);
        }
    }

    private static List<string> ReadSelections(JsonElement context, List<string> errors)
    {
        if (!context.TryGetProperty("selections", out var selections) || selections.ValueKind == JsonValueKind.Null)
        {
            errors.Add("context.selections is required.");
            return [];
        }

        if (selections.ValueKind != JsonValueKind.Array)
        {
            errors.Add("context.selections must be an array of strings.");
            return [];
        }

        var result = new List<string>();
        foreach (var item in selections.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !RelativeReferenceRegex().IsMatch(item.GetString()!))
            {
                errors.Add("context.selections entries must be references such as MedicationRequest/123.");
                continue;
            }

            result.Add(item.GetString()!);
        }

        return result;
    }
}
