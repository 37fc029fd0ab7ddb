using KetamineCds.Core.Cards;
using Xunit.Sdk;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>Proves the suite's own checkers can fail: hand-made good and bad cards through <see cref="CardInvariants"/> and <see cref="CardMatcher"/>.</summary>
public sealed class CardCheckerSelfTests
{
    private static CdsCard Good(string topic = CardTopics.Precaution, CardIndicator indicator = CardIndicator.Warning) => new()
    {
        Uuid = Guid.NewGuid().ToString(),
        Summary = "Precautions before esketamine: hypertension",
        Detail = "- **Hypertension**: I10 (ICD-10-CM I10)\n\n---\nKnowledge base: test. Sources: [L3]",
        Indicator = indicator,
        Source = new CdsSource { Label = "KetamineCds", Topic = new CdsCoding { System = CardTopics.System, Code = topic, Display = "Precaution" } },
        Links = [new CdsLink { Label = "Label", Url = "https://example.org/label", Type = CdsLinkType.Absolute }],
    };

    public static TheoryData<string> BadCards => new(Bad.Keys);

    private static readonly Dictionary<string, CdsCard> Bad = new(StringComparer.Ordinal)
    {
        ["summary-too-long"] = Good() with { Summary = new string('x', 140) },
        ["empty-links"] = Good() with { Links = [] },
        ["no-links"] = Good() with { Links = null },
        ["no-knowledge-base-line"] = Good() with { Detail = "Hypertension" },
        ["unknown-topic"] = Good(topic: "ketamine-fun"),
        ["critical-precaution"] = Good(indicator: CardIndicator.Critical),
        ["warning-contraindication"] = Good(topic: CardTopics.Contraindication),
        ["uuid-not-guid"] = Good() with { Uuid = "card-1" },
        ["suggestions-without-selection-behavior"] = Good() with
        {
            Suggestions = [new CdsSuggestion { Label = "Remove", Uuid = Guid.NewGuid().ToString(), Actions = [new CdsAction { Type = CdsActionType.Delete, Description = "Remove", ResourceId = "MedicationRequest/1" }] }],
        },
        ["override-reason-without-display"] = Good() with { OverrideReasons = [new CdsCoding { System = "urn:x", Code = "benefit" }] },
        ["us-date-format"] = Good() with { Detail = "BP 150/95 on 11/24/2026\n\nKnowledge base: test" },
        ["empty-override-reasons"] = Good() with { OverrideReasons = [] },
        ["wrong-source-label"] = Good() with { Source = new CdsSource { Label = "Other", Topic = new CdsCoding { System = CardTopics.System, Code = CardTopics.Precaution, Display = "Precaution" } } },
    };

    [Fact]
    public void A_contract_conforming_card_passes()
    {
        CardInvariants.AssertAll([Good(), Good(CardTopics.BloodPressure, CardIndicator.Info)], "good");
    }

    [Theory]
    [MemberData(nameof(BadCards))]
    public void A_card_breaking_the_contract_fails(string defect)
    {
        Assert.Throws<FailException>(() => CardInvariants.AssertAll([Bad[defect]], defect));
    }

    [Fact]
    public void Duplicate_uuids_fail()
    {
        var card = Good();
        Assert.Throws<FailException>(() => CardInvariants.AssertAll([card, card with { Summary = "Other" }], "dup"));
    }

    [Fact]
    public void Matcher_pairs_cards_one_to_one_and_reports_differences()
    {
        var card = Good();
        Assert.Null(CardMatcher.Compare([new ExpectedCard(CardTopics.Precaution, CardIndicator.Warning) { DetailContainsIgnoreCase = ["hypertension"] }], [card]));
        Assert.NotNull(CardMatcher.Compare([new ExpectedCard(CardTopics.Precaution, CardIndicator.Info)], [card]));
        Assert.NotNull(CardMatcher.Compare([new ExpectedCard(CardTopics.Precaution, CardIndicator.Warning) { DetailContains = ["Hypertension", "psychosis"] }], [card]));
        Assert.NotNull(CardMatcher.Compare([], [card]));
        Assert.NotNull(CardMatcher.Compare([new ExpectedCard(CardTopics.Precaution, null), new ExpectedCard(CardTopics.Precaution, null)], [card]));
        Assert.NotNull(CardMatcher.Compare([new ExpectedCard(CardTopics.Precaution, null) { DetailLacksWord = ["hypertension"] }], [card]));
        Assert.Null(CardMatcher.Compare([new ExpectedCard(CardTopics.Precaution, null) { DetailLacksWord = ["tension"] }], [card]));
    }
}
