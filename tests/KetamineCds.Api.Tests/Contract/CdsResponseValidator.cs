using System.Text.Json;

namespace KetamineCds.Api.Tests.Contract;

/// <summary>
/// An independent checker of CDS Hooks 2.0 service responses (S2:L526-729, L41-52): used on every response
/// the service produces. Returns the violations, empty when the response conforms.
/// </summary>
public static class CdsResponseValidator
{
    private static readonly HashSet<string> Indicators = ["info", "warning", "critical"];
    private static readonly HashSet<string> SelectionBehaviors = ["at-most-one", "any"];
    private static readonly HashSet<string> ActionTypes = ["create", "update", "delete"];
    private static readonly HashSet<string> LinkTypes = ["absolute", "smart"];

    public static IReadOnlyList<string> Validate(string json)
    {
        var errors = new List<string>();
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ["response is not an object"];
        }

        if (!root.TryGetProperty("cards", out var cards) || cards.ValueKind != JsonValueKind.Array)
        {
            errors.Add("cards is required and must be an array");
        }
        else
        {
            var i = 0;
            foreach (var card in cards.EnumerateArray())
            {
                ValidateCard(card, $"cards[{i++}]", errors);
            }
        }

        if (root.TryGetProperty("systemActions", out var systemActions))
        {
            ValidateActions(systemActions, "systemActions", errors);
        }

        NoEmptyOptionals(root, "$", errors, isRoot: true);
        return errors;
    }

    private static void ValidateCard(JsonElement card, string path, List<string> errors)
    {
        var summary = String(card, "summary");
        if (summary is null)
        {
            errors.Add($"{path}.summary is required");
        }
        else if (summary.Length >= 140)
        {
            errors.Add($"{path}.summary must be under 140 characters ({summary.Length})");
        }

        if (String(card, "indicator") is not { } indicator || !Indicators.Contains(indicator))
        {
            errors.Add($"{path}.indicator must be info, warning or critical");
        }

        if (!card.TryGetProperty("source", out var source) || String(source, "label") is null)
        {
            errors.Add($"{path}.source.label is required");
        }
        else if (source.TryGetProperty("topic", out var topic))
        {
            ValidateCoding(topic, $"{path}.source.topic", requireDisplay: false, errors);
        }

        if (card.TryGetProperty("suggestions", out var suggestions))
        {
            if (String(card, "selectionBehavior") is not { } behavior || !SelectionBehaviors.Contains(behavior))
            {
                errors.Add($"{path}.selectionBehavior is required with suggestions (at-most-one or any)");
            }

            var j = 0;
            var recommended = 0;
            foreach (var suggestion in suggestions.EnumerateArray())
            {
                var sp = $"{path}.suggestions[{j++}]";
                if (String(suggestion, "label") is null)
                {
                    errors.Add($"{sp}.label is required");
                }

                if (suggestion.TryGetProperty("isRecommended", out var rec) && rec.ValueKind == JsonValueKind.True)
                {
                    recommended++;
                }

                if (suggestion.TryGetProperty("actions", out var actions))
                {
                    ValidateActions(actions, $"{sp}.actions", errors);
                }
            }

            if (recommended > 1 && String(card, "selectionBehavior") == "at-most-one")
            {
                errors.Add($"{path}: at-most-one allows at most one recommended suggestion");
            }
        }

        if (card.TryGetProperty("overrideReasons", out var reasons))
        {
            var k = 0;
            foreach (var reason in reasons.EnumerateArray())
            {
                ValidateCoding(reason, $"{path}.overrideReasons[{k++}]", requireDisplay: true, errors);
            }
        }

        if (card.TryGetProperty("links", out var links))
        {
            var k = 0;
            foreach (var link in links.EnumerateArray())
            {
                var lp = $"{path}.links[{k++}]";
                if (String(link, "label") is null)
                {
                    errors.Add($"{lp}.label is required");
                }

                if (String(link, "url") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out _))
                {
                    errors.Add($"{lp}.url must be an absolute URL");
                }

                var type = String(link, "type");
                if (type is null || !LinkTypes.Contains(type))
                {
                    errors.Add($"{lp}.type must be absolute or smart");
                }

                if (link.TryGetProperty("appContext", out _) && type != "smart")
                {
                    errors.Add($"{lp}.appContext is only allowed on smart links");
                }
            }
        }
    }

    private static void ValidateActions(JsonElement actions, string path, List<string> errors)
    {
        if (actions.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{path} must be an array");
            return;
        }

        var i = 0;
        foreach (var action in actions.EnumerateArray())
        {
            var ap = $"{path}[{i++}]";
            var type = String(action, "type");
            if (type is null || !ActionTypes.Contains(type))
            {
                errors.Add($"{ap}.type must be create, update or delete");
            }

            if (String(action, "description") is null)
            {
                errors.Add($"{ap}.description is required");
            }

            if (type is "create" or "update" && (!action.TryGetProperty("resource", out var resource) || String(resource, "resourceType") is null))
            {
                errors.Add($"{ap}.resource (a FHIR resource) is required for {type}");
            }

            if (type == "delete" && String(action, "resourceId") is null)
            {
                errors.Add($"{ap}.resourceId is required for delete");
            }
        }
    }

    private static void ValidateCoding(JsonElement coding, string path, bool requireDisplay, List<string> errors)
    {
        if (String(coding, "system") is null || String(coding, "code") is null)
        {
            errors.Add($"{path} needs system and code");
        }

        if (requireDisplay && String(coding, "display") is null)
        {
            errors.Add($"{path}.display is required");
        }
    }

    /// <summary>S2:L41-52: optional members are omitted, never null, "", [] or {} (cards may be []).</summary>
    private static void NoEmptyOptionals(JsonElement element, string path, List<string> errors, bool isRoot = false)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    var childPath = $"{path}.{p.Name}";
                    var isCards = isRoot && p.Name == "cards";
                    if (p.Value.ValueKind == JsonValueKind.Null
                        || (p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Length == 0)
                        || (!isCards && p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() == 0)
                        || (p.Value.ValueKind == JsonValueKind.Object && !p.Value.EnumerateObject().Any()))
                    {
                        errors.Add($"{childPath} is null or empty; optional members must be omitted");
                    }

                    NoEmptyOptionals(p.Value, childPath, errors);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    NoEmptyOptionals(item, $"{path}[{i++}]", errors);
                }

                break;
        }
    }

    private static string? String(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0
            ? v.GetString()
            : null;
}
