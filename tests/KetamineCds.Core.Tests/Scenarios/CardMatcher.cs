using System.Text.RegularExpressions;
using KetamineCds.Core.Cards;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>Matches expected cards to actual cards one-to-one and explains mismatches.</summary>
public static class CardMatcher
{
    /// <summary>Why <paramref name="card"/> does not satisfy <paramref name="expected"/> (empty when it does).</summary>
    public static IReadOnlyList<string> Mismatches(ExpectedCard expected, CdsCard card)
    {
        var problems = new List<string>();
        if (card.Source?.Topic?.Code != expected.Topic)
        {
            problems.Add($"topic {card.Source?.Topic?.Code}");
            return problems;
        }

        if (expected.Indicator is { } indicator && card.Indicator != indicator)
        {
            problems.Add($"indicator {card.Indicator}, expected {indicator}");
        }

        var detail = card.Detail ?? string.Empty;
        problems.AddRange(expected.DetailContains
            .Where(s => !detail.Contains(s, StringComparison.Ordinal))
            .Select(s => $"detail lacks \"{s}\""));
        problems.AddRange(expected.DetailContainsIgnoreCase
            .Where(s => !detail.Contains(s, StringComparison.OrdinalIgnoreCase))
            .Select(s => $"detail lacks (any case) \"{s}\""));
        problems.AddRange(expected.DetailLacksWord
            .Where(w => Regex.IsMatch(detail, $@"(?<![\p{{L}}-]){Regex.Escape(w)}(?![\p{{L}}-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            .Select(w => $"detail names \"{w}\" as a word"));

        if (expected.SummaryContains is { } summaryText && !card.Summary.Contains(summaryText, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"summary lacks \"{summaryText}\"");
        }

        var suggestionCount = card.Suggestions?.Count ?? 0;
        if (expected.HasSuggestions == true && suggestionCount == 0)
        {
            problems.Add("no suggestion");
        }

        if (expected.HasSuggestions == false && suggestionCount > 0)
        {
            problems.Add($"{suggestionCount} suggestion(s), expected none");
        }

        var actions = (card.Suggestions ?? []).SelectMany(s => s.Actions ?? []).ToList();
        if (expected.SuggestsServiceRequest && !actions.Any(a => a.Type == CdsActionType.Create && a.Resource is Hl7.Fhir.Model.ServiceRequest))
        {
            problems.Add("no suggestion creating a ServiceRequest");
        }

        if (expected.DeletesResourceId is { } resourceId)
        {
            if (!actions.Any(a => a.Type == CdsActionType.Delete && a.ResourceId == resourceId))
            {
                problems.Add($"no delete action for {resourceId}");
            }

            if (card.SelectionBehavior != SelectionBehavior.AtMostOne)
            {
                problems.Add($"selectionBehavior {card.SelectionBehavior}, contract says at-most-one");
            }

            if (card.OverrideReasons is null)
            {
                problems.Add("no overrideReasons");
            }
        }

        return problems;
    }

    /// <summary>Null when the actual cards and the expected cards pair up one-to-one; otherwise an explanation.</summary>
    public static string? Compare(IReadOnlyList<ExpectedCard> expected, IReadOnlyList<CdsCard> actual)
    {
        var assignment = new int[expected.Count];
        var used = new bool[actual.Count];
        if (expected.Count == actual.Count && Assign(0, expected, actual, used, assignment))
        {
            return null;
        }

        var lines = new List<string>
        {
            $"expected {expected.Count} card(s) [{string.Join(", ", expected)}], got {actual.Count}:",
            CardText.Describe(actual),
            "Per expected card:",
        };
        foreach (var e in expected)
        {
            var sameTopic = actual.Where(a => a.Source?.Topic?.Code == e.Topic).ToList();
            lines.Add(sameTopic.Count == 0
                ? $"  {e}: no card with this topic"
                : $"  {e}: " + string.Join(" | ", sameTopic.Select(a => Mismatches(e, a) is { Count: > 0 } m ? string.Join("; ", m) : "matches")));
        }

        return string.Join("\n", lines);
    }

    private static bool Assign(int index, IReadOnlyList<ExpectedCard> expected, IReadOnlyList<CdsCard> actual, bool[] used, int[] assignment)
    {
        if (index == expected.Count)
        {
            return true;
        }

        for (var i = 0; i < actual.Count; i++)
        {
            if (used[i] || Mismatches(expected[index], actual[i]).Count > 0)
            {
                continue;
            }

            used[i] = true;
            assignment[index] = i;
            if (Assign(index + 1, expected, actual, used, assignment))
            {
                return true;
            }

            used[i] = false;
        }

        return false;
    }
}
