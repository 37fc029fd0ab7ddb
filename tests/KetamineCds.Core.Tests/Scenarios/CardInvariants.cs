using KetamineCds.Core.Cards;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>
/// Checks every card against docs/card-contract.md and the CDS Hooks 2.0 card rules, whatever the scenario:
/// summary &lt; 140 chars, unique uuids, known topic, selectionBehavior iff suggestions, no empty lists,
/// "Knowledge base:" in the detail, at least one absolute link, override reasons with display,
/// critical only (and always) for contraindications, no configuration key names.
/// </summary>
public static class CardInvariants
{
    private static readonly HashSet<string> KnownTopics = new(StringComparer.Ordinal)
    {
        CardTopics.TrdCandidate,
        CardTopics.TrdPossible,
        CardTopics.Contraindication,
        CardTopics.Precaution,
        CardTopics.DrugInteraction,
        CardTopics.BloodPressure,
        CardTopics.IndicationNotDocumented,
        CardTopics.DataUnavailable,
    };

    public static void AssertAll(IReadOnlyList<CdsCard> cards, string context)
    {
        Assert.NotNull(cards);
        var problems = new List<string>();
        var uuids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var card in cards)
        {
            Check(card, uuids, problems);
        }

        if (problems.Count > 0)
        {
            Assert.Fail($"[{context}] card contract violations:\n  " + string.Join("\n  ", problems) + "\n" + CardText.Describe(cards));
        }
    }

    /// <summary>
    /// The compact detail (used when the card links to the assessment app): on every TRD card, shorter than the full
    /// one, pointing to the app, and ending with the same knowledge-base and sources line.
    /// </summary>
    private static void CheckShortDetail(CdsCard card, Action<string> fail)
    {
        var topic = card.Source?.Topic?.Code;
        if (topic is CardTopics.TrdCandidate or CardTopics.TrdPossible && card.ShortDetail is null)
        {
            fail("TRD card without a short detail");
        }

        if (card.ShortDetail is not { } shortDetail || card.Detail is null)
        {
            return;
        }

        if (shortDetail.Length >= card.Detail.Length)
        {
            fail($"short detail ({shortDetail.Length} chars) is not shorter than the detail ({card.Detail.Length})");
        }

        if (!shortDetail.Contains(CardFactory.AppPointer, StringComparison.Ordinal))
        {
            fail("short detail does not point to the assessment app");
        }

        if (shortDetail.Split('\n')[^1] != card.Detail.Split('\n')[^1])
        {
            fail("short detail does not end with the detail's knowledge-base and sources line");
        }

        if (shortDetail.Contains("Clinical:", StringComparison.Ordinal))
        {
            fail("short detail shows a configuration key name (Clinical:...)");
        }
    }

    private static void Check(CdsCard card, HashSet<string> uuids, List<string> problems)
    {
        var topic = card.Source?.Topic?.Code ?? "(no topic)";
        void Fail(string message) => problems.Add($"{topic}: {message}");

        if (string.IsNullOrWhiteSpace(card.Summary))
        {
            Fail("summary is empty");
        }
        else if (card.Summary.Length >= 140)
        {
            Fail($"summary has {card.Summary.Length} chars (must be < 140)");
        }

        // Clinicians never see configuration key names (issue 8).
        if ((card.Detail ?? string.Empty).Contains("Clinical:", StringComparison.Ordinal) || card.Summary?.Contains("Clinical:", StringComparison.Ordinal) == true)
        {
            Fail("shows a configuration key name (Clinical:...)");
        }

        if (string.IsNullOrWhiteSpace(card.Uuid))
        {
            Fail("uuid missing");
        }
        else if (!Guid.TryParse(card.Uuid, out _))
        {
            Fail($"uuid '{card.Uuid}' is not a GUID (contract: fresh GUID)");
        }
        else if (!uuids.Add(card.Uuid))
        {
            Fail($"uuid {card.Uuid} is not unique");
        }

        if (card.Source is null)
        {
            Fail("source missing");
        }
        else
        {
            if (card.Source.Label != "KetamineCds")
            {
                Fail($"source.label is '{card.Source.Label}', contract says 'KetamineCds'");
            }

            if (card.Source.Topic is null)
            {
                Fail("source.topic missing");
            }
            else
            {
                if (card.Source.Topic.System != CardTopics.System)
                {
                    Fail($"source.topic.system is '{card.Source.Topic.System}'");
                }

                if (!KnownTopics.Contains(card.Source.Topic.Code))
                {
                    Fail($"unknown topic code '{card.Source.Topic.Code}'");
                }

                if (string.IsNullOrWhiteSpace(card.Source.Topic.Display))
                {
                    Fail("source.topic.display missing (contract: <human text>)");
                }
            }
        }

        var hasSuggestions = card.Suggestions is not null;
        if (hasSuggestions != (card.SelectionBehavior is not null))
        {
            Fail("selectionBehavior must be present if and only if suggestions are present");
        }

        CheckNotEmpty(card.Suggestions, "suggestions", Fail);
        CheckNotEmpty(card.OverrideReasons, "overrideReasons", Fail);
        CheckNotEmpty(card.Links, "links", Fail);

        if (card.Detail is null || !card.Detail.Contains("Knowledge base:", StringComparison.Ordinal))
        {
            Fail("detail must contain 'Knowledge base:'");
        }

        CheckShortDetail(card, Fail);

        var text = card.Summary + "\n" + card.Detail + "\n" + card.ShortDetail;
        if (System.Text.RegularExpressions.Regex.Match(text, @"\b\d{1,2}/\d{1,2}/\d{2,4}\b", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } date)
        {
            Fail($"date '{date.Value}' is not ISO yyyy-MM-dd (card-contract)");
        }

        if (card.Links is null || card.Links.Count == 0)
        {
            Fail("at least one link is required");
        }
        else
        {
            if (!card.Links.Any(l => l.Type == CdsLinkType.Absolute))
            {
                Fail("no link of type absolute");
            }

            foreach (var link in card.Links)
            {
                if (string.IsNullOrWhiteSpace(link.Label))
                {
                    Fail("link without label");
                }

                if (!Uri.TryCreate(link.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                {
                    Fail($"link url '{link.Url}' is not an absolute http(s) URL");
                }

                if (link.Type == CdsLinkType.Absolute && link.AppContext is not null)
                {
                    Fail("appContext is only allowed on smart links");
                }
            }
        }

        foreach (var reason in card.OverrideReasons ?? [])
        {
            if (string.IsNullOrWhiteSpace(reason.System) || string.IsNullOrWhiteSpace(reason.Code) || string.IsNullOrWhiteSpace(reason.Display))
            {
                Fail($"overrideReason '{reason.Code}' needs system, code and display");
            }
        }

        var suggestionUuids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var suggestion in card.Suggestions ?? [])
        {
            if (string.IsNullOrWhiteSpace(suggestion.Label))
            {
                Fail("suggestion without label");
            }

            if (string.IsNullOrWhiteSpace(suggestion.Uuid) || !suggestionUuids.Add(suggestion.Uuid))
            {
                Fail("suggestion uuid missing or duplicated");
            }

            CheckNotEmpty(suggestion.Actions, "suggestion.actions", Fail);
            foreach (var action in suggestion.Actions ?? [])
            {
                if (string.IsNullOrWhiteSpace(action.Description))
                {
                    Fail("action without description");
                }

                if (action.Type == CdsActionType.Delete && string.IsNullOrWhiteSpace(action.ResourceId))
                {
                    Fail("delete action without resourceId");
                }

                if (action.Type is CdsActionType.Create or CdsActionType.Update && action.Resource is null)
                {
                    Fail($"{action.Type} action without resource");
                }
            }
        }

        var isContraindication = card.Source?.Topic?.Code == CardTopics.Contraindication;
        if (card.Indicator == CardIndicator.Critical && !isContraindication)
        {
            Fail("critical indicator is reserved for contraindications");
        }

        if (isContraindication && card.Indicator != CardIndicator.Critical)
        {
            Fail($"contraindication card must be critical, is {card.Indicator}");
        }
    }

    private static void CheckNotEmpty<T>(IReadOnlyList<T>? list, string name, Action<string> fail)
    {
        if (list is { Count: 0 })
        {
            fail($"{name} is an empty list (must be null when absent)");
        }
    }
}
