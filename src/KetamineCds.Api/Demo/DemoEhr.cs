using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using KetamineCds.Api.Configuration;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Demo;

/// <summary>What the demo page orders from its order panel.</summary>
public enum DemoOrderKind
{
    Esketamine,
    KetamineIv,
    Lorazepam,
}

/// <summary>The demo's record of one feedback call it made to the service.</summary>
public sealed record DemoFeedbackCall(string ServiceId, string CardUuid, string Outcome, string? OverrideReason, int HttpStatus, DateTimeOffset At);

/// <summary>The answer of one hook call as the demo page shows it.</summary>
public sealed record DemoHookResult(string Hook, string ServiceId, int HttpStatus, bool Prefetch, IReadOnlyList<DemoCard> Cards, string? Error);

/// <summary>
/// The demo EHR's client side: builds CDS Hooks 2.0 requests for its patients (with prefetch, or with its own FHIR
/// server and a demo access token), signs them with <see cref="DemoKeys"/>, posts them to the service's own
/// endpoints over HTTP, and sends card feedback.
/// </summary>
internal sealed class DemoEhr(
    IHttpClientFactory httpClients,
    DemoKeys keys,
    DemoPatientStore store,
    DemoAuthorizationServer authorization,
    DemoCardRenderer renderer,
    IOptions<CdsHooksOptions> options,
    TimeProvider time)
{
    public const string HttpClientName = "demo-ehr";
    private const int MaxRememberedCards = 2000;

    private readonly ConcurrentDictionary<string, RememberedCard> _cards = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<DemoFeedbackCall> _feedback = new();

    private string BaseUrl => options.Value.PublicBaseUrl.TrimEnd('/');

    public string Issuer => BaseUrl + "/demo";

    public string FhirBase => BaseUrl + "/demo/fhir";

    public IReadOnlyList<DemoFeedbackCall> FeedbackCalls => _feedback.ToArray();

    public Task<DemoHookResult> OpenChartAsync(string patientId, bool prefetch, CancellationToken cancellationToken)
        => CallAsync("patient-view", "ketamine-trd-screening", patientId, prefetch, new JsonObject(), cancellationToken);

    public Task<DemoHookResult> OrderAsync(string patientId, DemoOrderKind kind, bool sign, bool prefetch, CancellationToken cancellationToken)
    {
        var draft = DraftOrder(patientId, kind);
        var context = new JsonObject
        {
            ["draftOrders"] = new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "collection",
                ["entry"] = new JsonArray(new JsonObject { ["resource"] = draft }),
            },
        };
        if (!sign)
        {
            context["selections"] = new JsonArray($"MedicationRequest/{draft["id"]}");
        }

        return sign
            ? CallAsync("order-sign", "ketamine-order-sign", patientId, prefetch, context, cancellationToken)
            : CallAsync("order-select", "ketamine-order-select", patientId, prefetch, context, cancellationToken);
    }

    /// <summary>Applies the accepted suggestion's actions to the demo store and sends "accepted" feedback.</summary>
    public async Task<(int FeedbackStatus, IReadOnlyList<string> Created)?> AcceptAsync(string cardUuid, string suggestionUuid, CancellationToken cancellationToken)
    {
        if (!_cards.TryGetValue(cardUuid, out var remembered))
        {
            return null;
        }

        var suggestion = (remembered.Card["suggestions"]?.AsArray() ?? []).OfType<JsonObject>()
            .FirstOrDefault(s => s["uuid"]?.GetValue<string>() == suggestionUuid);
        if (suggestion is null)
        {
            return null;
        }

        var created = new List<string>();
        foreach (var action in (suggestion["actions"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            var type = action["type"]?.GetValue<string>();
            if (type == "create" && action["resource"] is JsonObject resource)
            {
                created.Add(store.Create(remembered.PatientId, resource));
            }
            else if (type == "delete" && action["resourceId"]?.GetValue<string>() is { } reference)
            {
                store.Delete(remembered.PatientId, reference);
            }
        }

        var item = new JsonObject
        {
            ["card"] = cardUuid,
            ["outcome"] = "accepted",
            ["acceptedSuggestions"] = new JsonArray(new JsonObject { ["id"] = suggestionUuid }),
            ["outcomeTimestamp"] = Timestamp(),
        };
        var status = await SendFeedbackAsync(remembered.ServiceId, cardUuid, "accepted", null, item, cancellationToken);
        return (status, created);
    }

    /// <summary>Sends "overridden" feedback with the clinician's reason (one of the card's overrideReasons).</summary>
    public async Task<int?> OverrideAsync(string cardUuid, string? reasonCode, string? comment, CancellationToken cancellationToken)
    {
        if (!_cards.TryGetValue(cardUuid, out var remembered))
        {
            return null;
        }

        var item = new JsonObject { ["card"] = cardUuid, ["outcome"] = "overridden", ["outcomeTimestamp"] = Timestamp() };
        var reason = (remembered.Card["overrideReasons"]?.AsArray() ?? []).OfType<JsonObject>()
            .FirstOrDefault(r => r["code"]?.GetValue<string>() == reasonCode);
        if (reason is not null || !string.IsNullOrWhiteSpace(comment))
        {
            var overrideReason = new JsonObject();
            if (reason is not null)
            {
                overrideReason["reason"] = reason.DeepClone();
            }

            if (!string.IsNullOrWhiteSpace(comment))
            {
                overrideReason["userComment"] = comment;
            }

            item["overrideReason"] = overrideReason;
        }

        return await SendFeedbackAsync(remembered.ServiceId, cardUuid, "overridden", reason?["code"]?.GetValue<string>(), item, cancellationToken);
    }

    private async Task<int> SendFeedbackAsync(string serviceId, string cardUuid, string outcome, string? reasonCode, JsonObject item, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["feedback"] = new JsonArray(item) };
        var (status, _) = await PostAsync($"/cds-services/{serviceId}/feedback", body, cancellationToken);
        _feedback.Enqueue(new DemoFeedbackCall(serviceId, cardUuid, outcome, reasonCode, status, time.GetUtcNow()));
        while (_feedback.Count > MaxRememberedCards)
        {
            _feedback.TryDequeue(out _);
        }

        return status;
    }

    private async Task<DemoHookResult> CallAsync(string hook, string serviceId, string patientId, bool prefetch, JsonObject context, CancellationToken cancellationToken)
    {
        var fullContext = new JsonObject { ["userId"] = "Practitioner/demo-clinician", ["patientId"] = patientId };
        foreach (var (key, value) in context.ToList())
        {
            context.Remove(key);
            fullContext[key] = value;
        }

        var request = new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = hook,
            ["context"] = fullContext,
        };
        if (prefetch)
        {
            request["prefetch"] = Prefetch(patientId);
        }
        else
        {
            var (grant, token) = authorization.Issue(patientId, "patient/*.read");
            request["fhirServer"] = FhirBase;
            request["fhirAuthorization"] = new JsonObject
            {
                ["access_token"] = token,
                ["token_type"] = "Bearer",
                ["expires_in"] = (int)(grant.ExpiresAt - time.GetUtcNow()).TotalSeconds,
                ["scope"] = grant.Scope,
                ["subject"] = "ketamine-cds",
            };
        }

        var (status, response) = await PostAsync($"/cds-services/{serviceId}", request, cancellationToken);
        if (status != StatusCodes.Status200OK || response?["cards"] is not JsonArray cards)
        {
            var message = response?["issue"]?[0]?["diagnostics"]?.GetValue<string>() ?? $"The service answered HTTP {status}.";
            return new DemoHookResult(hook, serviceId, status, prefetch, [], message);
        }

        var rendered = new List<DemoCard>();
        foreach (var card in cards.OfType<JsonObject>())
        {
            var uuid = card["uuid"]?.GetValue<string>();
            if (uuid is not null)
            {
                if (_cards.Count >= MaxRememberedCards)
                {
                    _cards.Clear();
                }

                _cards[uuid] = new RememberedCard(serviceId, patientId, card.DeepClone().AsObject());
            }

            rendered.Add(renderer.Render(serviceId, patientId, card));
        }

        return new DemoHookResult(hook, serviceId, status, prefetch, rendered, null);
    }

    private async Task<(int Status, JsonNode? Body)> PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(HttpClientName);
        using var message = new HttpRequestMessage(HttpMethod.Post, BaseUrl + path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys.SignHookToken(Issuer, BaseUrl + path, time.GetUtcNow()));
        using var response = await http.SendAsync(message, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? parsed = null;
        if (text.Length > 0)
        {
            try
            {
                parsed = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
                parsed = null;
            }
        }

        return ((int)response.StatusCode, parsed);
    }

    /// <summary>The discovery document's prefetch keys, filled from the demo store as the EHR's FHIR server would.</summary>
    private JsonObject Prefetch(string patientId)
    {
        var found = store.Search(patientId, "Patient");
        var patient = found.Count > 0 ? found[0] : null;
        return new JsonObject
        {
            ["patient"] = patient,
            ["conditions"] = SearchBundle(patientId, "Condition"),
            ["medicationRequests"] = SearchBundle(patientId, "MedicationRequest"),
            ["medicationStatements"] = SearchBundle(patientId, "MedicationStatement"),
            ["medicationDispenses"] = SearchBundle(patientId, "MedicationDispense"),
            ["observations"] = SearchBundle(patientId, "Observation"),
            ["allergies"] = SearchBundle(patientId, "AllergyIntolerance"),
            ["procedures"] = SearchBundle(patientId, "Procedure"),
        };
    }

    internal JsonObject SearchBundle(string patientId, string resourceType)
    {
        var resources = store.Search(patientId, resourceType);
        var entries = new JsonArray();
        foreach (var r in resources)
        {
            entries.Add(new JsonObject { ["fullUrl"] = $"{FhirBase}/{resourceType}/{r["id"]}", ["resource"] = r, ["search"] = new JsonObject { ["mode"] = "match" } });
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = resources.Count, ["entry"] = entries };
    }

    private JsonObject DraftOrder(string patientId, DemoOrderKind kind)
    {
        var today = time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (rxcui, display, text, dosage) = kind switch
        {
            DemoOrderKind.Esketamine => ("2119365", "esketamine", "Spravato 56 mg nasal spray dose kit", Dose("56 mg intranasally twice weekly for 4 weeks under REMS supervision", 56, 2, "wk", "nasal")),
            DemoOrderKind.KetamineIv => ("6130", "ketamine", "ketamine 0.5 mg/kg IV infusion over 40 minutes", Dose("0.5 mg/kg IV over 40 minutes, twice weekly", null, 2, "wk", "intravenous")),
            _ => ("6470", "lorazepam", "Ativan 1 mg tablet", Dose("1 tablet at bedtime", 1, 1, "d", "oral")),
        };
        return new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = "draft-" + Guid.NewGuid().ToString("N")[..12],
            ["status"] = "draft",
            ["intent"] = "order",
            ["medicationCodeableConcept"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = rxcui, ["display"] = display }),
                ["text"] = text,
            },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
            ["authoredOn"] = today,
            ["dosageInstruction"] = new JsonArray(dosage),
        };
    }

    private static JsonObject Dose(string text, int? mg, int frequency, string periodUnit, string route)
    {
        var dosage = new JsonObject
        {
            ["text"] = text,
            ["route"] = new JsonObject { ["text"] = route },
            ["timing"] = new JsonObject { ["repeat"] = new JsonObject { ["frequency"] = frequency, ["period"] = 1, ["periodUnit"] = periodUnit } },
        };
        if (mg is { } value)
        {
            dosage["doseAndRate"] = new JsonArray(new JsonObject
            {
                ["doseQuantity"] = new JsonObject { ["value"] = value, ["unit"] = "mg", ["system"] = "http://unitsofmeasure.org", ["code"] = "mg" },
            });
        }

        return dosage;
    }

    private string Timestamp() => time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private sealed record RememberedCard(string ServiceId, string PatientId, JsonObject Card);
}
