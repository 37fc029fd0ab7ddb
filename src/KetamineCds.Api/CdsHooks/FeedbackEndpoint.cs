using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using KetamineCds.Api.Configuration;
using KetamineCds.Api.Diagnostics;
using KetamineCds.Api.Security;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.CdsHooks;

/// <summary>
/// <c>POST /cds-services/{id}/feedback</c>: validated per CDS Hooks 2.0 (cds-fb-1..3), recorded idempotently,
/// logged without patient data. Answers 200 with an empty body for every well-formed body.
/// </summary>
public static partial class FeedbackEndpoint
{
    public static async Task<IResult> HandleAsync(
        string id,
        HttpContext http,
        FeedbackRecorder recorder,
        IOptions<CdsHooksOptions> options,
        ILogger<FeedbackRecorder> logger,
        CdsMetrics metrics,
        CancellationToken cancellationToken)
    {
        var service = CdsServiceCatalog.Find(id);
        if (service is null)
        {
            return OperationOutcomes.Result(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"Unknown CDS service '{id}'.");
        }

        var body = await RequestBody.ReadJsonAsync(http.Request, options.Value.MaxRequestBodyBytes, cancellationToken);
        if (body.Error is { } bodyError)
        {
            return bodyError;
        }

        var errors = new List<string>();
        var items = Parse(body.Content, errors);
        if (errors.Count > 0)
        {
            LogRejected(logger, service.Id, errors.Count);
            return OperationOutcomes.Result(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, errors);
        }

        var (added, newAccepted) = await recorder.RecordAsync(service.Id, items, http.GetCdsClient()?.Name, cancellationToken);
        metrics.FeedbackReceived(service.Id, "accepted", newAccepted);
        metrics.FeedbackReceived(service.Id, "overridden", added - newAccepted);
        var accepted = items.Count(i => i.Outcome == FeedbackOutcome.Accepted);
        LogReceived(logger, service.Id, items.Count, added, accepted, items.Count - accepted);
        return TypedResults.Ok();
    }

    internal static List<FeedbackItem> Parse(ReadOnlyMemory<byte> content, List<string> errors)
    {
        var items = new List<FeedbackItem>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException)
        {
            errors.Add("The request body is not valid JSON.");
            return items;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("feedback", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                errors.Add("The body must be an object with a 'feedback' array.");
                return items;
            }

            var index = 0;
            foreach (var element in list.EnumerateArray())
            {
                var item = ParseItem(element, $"feedback[{index}]", errors);
                if (item is not null)
                {
                    items.Add(item);
                }

                index++;
            }

            if (index == 0)
            {
                errors.Add("The 'feedback' array is empty.");
            }
        }

        return items;
    }

    private static FeedbackItem? ParseItem(JsonElement element, string path, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path} must be an object.");
            return null;
        }

        var card = String(element, "card");
        if (string.IsNullOrWhiteSpace(card))
        {
            errors.Add($"{path}.card is required.");
        }
        else if (card.Length > HookRequestParser.MaxIdentifierLength)
        {
            errors.Add($"{path}.card is longer than {HookRequestParser.MaxIdentifierLength} characters (the card's uuid is 36).");
        }

        var outcomeText = String(element, "outcome");
        FeedbackOutcome? outcome = outcomeText switch
        {
            "accepted" => FeedbackOutcome.Accepted,
            "overridden" => FeedbackOutcome.Overridden,
            _ => null,
        };
        if (outcome is null)
        {
            errors.Add($"{path}.outcome must be 'accepted' or 'overridden'.");
        }

        var timestampText = String(element, "outcomeTimestamp");
        if (!DateTimeOffset.TryParse(timestampText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
            || timestampText!.IndexOf('T', StringComparison.Ordinal) < 0)
        {
            errors.Add($"{path}.outcomeTimestamp must be an RFC 3339 date-time.");
        }

        var accepted = ReadAcceptedSuggestions(element, path, errors);
        if (outcome == FeedbackOutcome.Accepted && accepted.Count == 0)
        {
            errors.Add($"{path}.acceptedSuggestions is required when outcome is 'accepted'.");
        }

        // CDS Hooks 2.0 defines overrideReason for overridden cards without forbidding it elsewhere: on an accepted card
        // it is accepted and ignored (neither validated nor kept).
        var reasonCode = outcome == FeedbackOutcome.Accepted ? null : ReadOverrideReason(element, path, errors);

        return card is null || outcome is null ? null : new FeedbackItem(card, outcome.Value, timestamp, accepted, reasonCode);
    }

    private static List<string> ReadAcceptedSuggestions(JsonElement element, string path, List<string> errors)
    {
        var ids = new List<string>();
        if (!element.TryGetProperty("acceptedSuggestions", out var suggestions))
        {
            return ids;
        }

        if (suggestions.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{path}.acceptedSuggestions must be an array.");
            return ids;
        }

        foreach (var s in suggestions.EnumerateArray())
        {
            var sid = s.ValueKind == JsonValueKind.Object ? String(s, "id") : null;
            if (string.IsNullOrWhiteSpace(sid))
            {
                errors.Add($"{path}.acceptedSuggestions entries need an 'id'.");
                continue;
            }

            ids.Add(sid);
        }

        return ids;
    }

    private static FeedbackOverrideReason? ReadOverrideReason(JsonElement element, string path, List<string> errors)
    {
        if (!element.TryGetProperty("overrideReason", out var reason))
        {
            return null;
        }

        if (reason.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}.overrideReason must be an object.");
            return null;
        }

        var hasReason = reason.TryGetProperty("reason", out var coding) && coding.ValueKind == JsonValueKind.Object;
        var hasComment = !string.IsNullOrWhiteSpace(String(reason, "userComment"));
        if (!hasReason && !hasComment)
        {
            errors.Add($"{path}.overrideReason needs a reason or a userComment.");
            return null;
        }

        if (hasReason && string.IsNullOrWhiteSpace(String(coding, "code")))
        {
            errors.Add($"{path}.overrideReason.reason needs a code.");
            return null;
        }

        return hasReason
            ? new FeedbackOverrideReason(String(coding, "system"), String(coding, "code"), String(coding, "display"), String(reason, "userComment"))
            : new FeedbackOverrideReason(null, null, null, String(reason, "userComment"));
    }

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Feedback for {ServiceId}: {Count} item(s), {New} new, {Accepted} accepted, {Overridden} overridden")]
    private static partial void LogReceived(ILogger logger, string serviceId, int count, int @new, int accepted, int overridden);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Feedback for {ServiceId} rejected with {ErrorCount} validation error(s)")]
    private static partial void LogRejected(ILogger logger, string serviceId, int errorCount);
}
