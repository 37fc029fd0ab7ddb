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
    /// <summary>Deepest nesting accepted in a request body (FHIR resources nest deeper than System.Text.Json's default 64).</summary>
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128 };

    /// <summary>Longest hookInstance (and feedback card id) accepted: a UUID is 36 characters; this bounds what is stored and logged.</summary>
    public const int MaxIdentifierLength = 128;

    /// <summary>A FHIR id (R4 <c>id</c> datatype).</summary>
    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex FhirIdRegex();

    /// <summary><c>ResourceType/id</c> as used by <c>userId</c> and <c>selections</c>.</summary>
    [GeneratedRegex("^[A-Z][A-Za-z]+/[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex RelativeReferenceRegex();

    /// <summary>
    /// One forward pass over the body: the <c>prefetch</c> values (nearly all of the bytes) are read as they come into
    /// what the engine reads (<see cref="PrefetchValue"/>), without building a document of the whole body; the other
    /// members, small, are kept as JSON values for the checks below.
    /// </summary>
    public static HookRequestParseResult Parse(ReadOnlyMemory<byte> body, CdsServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var errors = new List<string>();
        RequestMembers? members;
        try
        {
            members = ReadMembers(body.Span, service);
        }
        catch (JsonException)
        {
            return HookRequestParseResult.Fail("The request body is not valid JSON.");
        }
        catch (InvalidOperationException)
        {
            // Well-formed JSON with a member name that cannot be decoded (e.g. an escaped unpaired surrogate).
            return HookRequestParseResult.Fail("The request body could not be read as a CDS Hooks request.");
        }

        if (members is null)
        {
            errors.Insert(0, "The request body must be a JSON object.");
            return HookRequestParseResult.Fail(errors);
        }

        try
        {
            var request = Validate(members, service, errors);
            return request is null ? HookRequestParseResult.Fail(errors) : HookRequestParseResult.Ok(request);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            errors.Add("The request body could not be read as a CDS Hooks request.");
            return HookRequestParseResult.Fail(errors);
        }
    }

    /// <summary>The top-level members, or null when the body is valid JSON but not an object. A member given twice: the last counts.</summary>
    private static RequestMembers? ReadMembers(ReadOnlySpan<byte> body, CdsServiceDefinition service)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            ReadToEnd(ref reader);
            return null;
        }

        var members = new RequestMembers();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prefetch"u8))
            {
                reader.Read();
                members.PrefetchErrors.Clear();
                members.Prefetch = ReadPrefetch(ref reader, service, members.PrefetchErrors);
                members.HasPrefetch = true;
                continue;
            }

            var name = MemberName(ref reader);
            reader.Read();
            if (name is null)
            {
                reader.Skip(); // not a CDS Hooks 2.0 member: ignored, as the spec asks of unknown members
                continue;
            }

            members.Values[name] = JsonElement.ParseValue(ref reader);
        }

        ReadToEnd(ref reader);
        return members;
    }

    /// <summary>The members this parser reads, with their UTF-8 bytes (compared as bytes, no transcoding per member).</summary>
    private static readonly (byte[] Utf8, string Name)[] MemberNames =
    [
        .. new[] { "hook", "hookInstance", "context", "fhirServer", "fhirAuthorization", "extension" }
            .Select(name => (System.Text.Encoding.UTF8.GetBytes(name), name)),
    ];

    /// <summary>The member name the reader is on if it is one this parser reads, else null.</summary>
    private static string? MemberName(ref Utf8JsonReader reader)
    {
        foreach (var (utf8, name) in MemberNames)
        {
            if (reader.ValueTextEquals(utf8))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Anything after the body's one value is malformed JSON: the reader throws.</summary>
    private static void ReadToEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }

    /// <summary>The body's members: the small ones as JSON values, <c>prefetch</c> already read.</summary>
    private sealed class RequestMembers
    {
        public Dictionary<string, JsonElement> Values { get; } = new(StringComparer.Ordinal);

        public bool HasPrefetch { get; set; }

        public Dictionary<string, PrefetchValue>? Prefetch { get; set; }

        public List<string> PrefetchErrors { get; } = [];

        /// <summary>The member's value; <see cref="JsonValueKind.Undefined"/> when absent.</summary>
        public JsonElement this[string name] => Values.GetValueOrDefault(name);
    }

    private static HookRequest? Validate(RequestMembers root, CdsServiceDefinition service, List<string> errors)
    {
        var hook = RequiredString(root["hook"], "hook", errors);
        var hookInstance = RequiredString(root["hookInstance"], "hookInstance", errors);
        if (hookInstance is { Length: > MaxIdentifierLength })
        {
            errors.Add($"hookInstance is longer than {MaxIdentifierLength} characters (a UUID is 36).");
        }
        if (hook is not null && hook != service.Hook)
        {
            errors.Add($"Service '{service.Id}' answers hook '{service.Hook}', not '{hook}'.");
        }

        var fhirServer = OptionalAbsoluteUrl(root["fhirServer"], "fhirServer", errors);
        var accessToken = ReadFhirAuthorization(root["fhirAuthorization"], errors, out var authorizedPatient);
        var hasAuthorization = root["fhirAuthorization"].ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        var hasFhirServer = root["fhirServer"].ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        if (hasAuthorization && !hasFhirServer)
        {
            errors.Add("fhirAuthorization requires fhirServer.");
        }

        CheckOptionalObject(root["extension"], "extension", errors);
        errors.AddRange(root.PrefetchErrors);

        var context = root["context"];
        if (context.ValueKind != JsonValueKind.Object)
        {
            errors.Add(context.ValueKind == JsonValueKind.Undefined ? "context is required." : "context must be a JSON object.");
            return null;
        }

        var userId = RequiredString(Member(context, "userId"), "context.userId", errors);
        var patientId = RequiredString(Member(context, "patientId"), "context.patientId", errors);
        var encounterId = OptionalString(Member(context, "encounterId"), "context.encounterId", errors);
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

        return new HookRequest
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
            Prefetch = root.HasPrefetch ? root.Prefetch : null,
            PrefetchTokens = PrefetchTokens.From(patientId, userId, encounterId),
        };
    }

    /// <summary>The member of a JSON object; <see cref="JsonValueKind.Undefined"/> when absent.</summary>
    private static JsonElement Member(JsonElement parent, string name)
        => parent.TryGetProperty(name, out var value) ? value : default;

    private static string? RequiredString(JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
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

    private static string? OptionalString(JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
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

    private static Uri? OptionalAbsoluteUrl(JsonElement value, string name, List<string> errors)
    {
        var text = OptionalString(value, name, errors);
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

    private static void CheckOptionalObject(JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object or JsonValueKind.Null))
        {
            errors.Add($"{path} must be a JSON object.");
        }
    }

    private static string? ReadFhirAuthorization(JsonElement auth, List<string> errors, out string? patient)
    {
        patient = null;
        if (auth.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (auth.ValueKind != JsonValueKind.Object)
        {
            errors.Add("fhirAuthorization must be a JSON object.");
            return null;
        }

        var token = RequiredString(Member(auth, "access_token"), "fhirAuthorization.access_token", errors);
        var tokenType = RequiredString(Member(auth, "token_type"), "fhirAuthorization.token_type", errors);
        if (tokenType is not null && !string.Equals(tokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("fhirAuthorization.token_type must be 'Bearer'.");
        }

        patient = OptionalString(Member(auth, "patient"), "fhirAuthorization.patient", errors);
        if (auth.TryGetProperty("expires_in", out var expires) && expires.ValueKind != JsonValueKind.Number)
        {
            errors.Add("fhirAuthorization.expires_in must be a number.");
        }

        return token;
    }

    /// <summary>
    /// The prefetch values of the keys this service asks for (its discovery templates), read as they come. Keys it never
    /// asked for are skipped unread, whatever their value: the spec's own examples carry such keys (<c>"user": "123"</c>).
    /// </summary>
    private static Dictionary<string, PrefetchValue>? ReadPrefetch(ref Utf8JsonReader reader, CdsServiceDefinition service, List<string> errors)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            errors.Add("prefetch must be a JSON object.");
            return null;
        }

        var result = new Dictionary<string, PrefetchValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = service.Prefetch is { } requested ? RequestedKey(ref reader, requested) : null;
            reader.Read();
            if (key is null)
            {
                reader.Skip();
                continue;
            }

            var value = PrefetchValue.Read(ref reader);
            if (!value.IsNull && !value.IsObject)
            {
                errors.Add($"prefetch.{key} must be a FHIR resource or null.");
                continue;
            }

            if (value.IsObject && !value.HasResourceType)
            {
                errors.Add($"prefetch.{key} is not a FHIR resource (no resourceType).");
                continue;
            }

            result[key] = value;
        }

        return result;
    }

    /// <summary>The service's own spelling of the prefetch key the reader is on; null for a key it never asked for.</summary>
    private static string? RequestedKey(ref Utf8JsonReader reader, IReadOnlyDictionary<string, string> requested)
    {
        foreach (var key in requested.Keys)
        {
            if (reader.ValueTextEquals(key))
            {
                return key;
            }
        }

        return null;
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
