using Hl7.Fhir.Model;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Tests.Support;
using static KetamineCds.Core.Tests.Support.Clock;
using MrStatus = Hl7.Fhir.Model.MedicationRequest.MedicationrequestStatus;

namespace KetamineCds.Core.Tests.Cards;

/// <summary>Text from the EHR reaches card markdown escaped (markdown and HTML); only our own text is markup (issue 8).</summary>
public sealed class MarkdownEscapingTests
{
    public static TheoryData<string> Hostile =>
    [
        "[click](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "![x](https://evil.example/x.png)",
        "`code` **bold** _em_ ~~strike~~",
        "<script>alert(1)</script>",
        "line one\n# heading\n- item",
        "| a | b |",
        "https://evil.example/login",
        "www.evil.example",
        "<https://evil.example>",
        "\\[escaped\\](x)",
        "a & b \" ' @user",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Escaped_text_has_no_live_markup(string hostile)
    {
        var escaped = MarkdownText.Escape(hostile);

        AssertInert(escaped);
    }

    [Fact]
    public void Plain_text_is_returned_as_is()
    {
        const string plain = "sertraline 100 MG Oral Tablet";

        Assert.Same(plain, MarkdownText.Escape(plain));
        Assert.Equal(string.Empty, MarkdownText.Escape(null));
    }

    [Fact]
    public void Escaping_keeps_the_visible_characters()
    {
        Assert.Equal("\\[click\\]\\(javascript\\:alert\\(1\\)\\)", MarkdownText.Escape("[click](javascript:alert(1))"));
        Assert.Equal("&lt;img src=x onerror=alert\\(1\\)&gt;", MarkdownText.Escape("<img src=x onerror=alert(1)>"));
        Assert.Equal("\\- 20 MG/ML dose", MarkdownText.Escape("- 20 MG/ML dose"));
    }

    [Fact]
    public void Hostile_drug_names_and_condition_displays_reach_cards_escaped()
    {
        const string drug = "Zoloft 100 mg [click](javascript:alert(1)) <img src=x onerror=alert(1)>";
        const string condition = "Aortic aneurysm <img src=x onerror=alert(2)> [x](javascript:alert(3))";
        var aneurysm = new Condition
        {
            Id = "c-hostile",
            ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
            Code = new CodeableConcept { Text = condition, Coding = [new Coding(Res.Icd10Cm, "I71.40")] },
            Onset = new FhirDateTime(MonthsAgo(24)),
        };
        var lorazepam = Res.Request(Res.Rx("6470", "lorazepam", "Ativan `rm` **now** <b>1 mg</b>"), Res.Dose(1, "mg"), DaysAgo(10), null, MrStatus.Active);

        var outcome = EngineHarness.Sign(
            [Res.Draft(Res.Rx("2119365", "esketamine", "Spravato <img src=x onerror=alert(4)>"), "esk-1")],
            Res.Patient(),
            Res.Condition(Res.Icd10Cm, "F33.2", MonthsAgo(18)),
            Res.Request(Res.Text(drug), Res.Dose(1, "tablet"), MonthsAgo(16), MonthsAgo(10)),
            Res.Request(Res.Rx("313586", "venlafaxine 75 MG Oral Tablet"), Res.Dose(1, "tablet", 2), MonthsAgo(10), MonthsAgo(3)),
            Res.Phq9(MonthsAgo(4), 17),
            aneurysm,
            lorazepam);

        Assert.Contains(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.Contraindication);
        Assert.Contains(outcome.Cards, c => c.Source.Topic!.Code == CardTopics.DrugInteraction);
        foreach (var card in outcome.Cards)
        {
            AssertInert(card.Detail!);
            Assert.DoesNotContain("<", card.Summary, StringComparison.Ordinal);
        }

        Assert.Contains(outcome.Cards, c => c.Detail!.Contains("Aortic aneurysm &lt;img", StringComparison.Ordinal));
        Assert.Contains(outcome.Cards, c => c.Detail!.Contains("Ativan \\`rm\\` \\*\\*now\\*\\*", StringComparison.Ordinal));
    }

    [Fact]
    public void Hostile_record_text_reaches_the_trd_card_short_detail_escaped()
    {
        const string condition = "Aortic aneurysm <img src=x onerror=alert(2)> [click](javascript:alert(3)) <script>alert(5)</script>";
        var aneurysm = new Condition
        {
            Id = "c-hostile",
            ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
            Code = new CodeableConcept { Text = condition, Coding = [new Coding(Res.Icd10Cm, "I71.40")] },
            Onset = new FhirDateTime(MonthsAgo(24)),
        };

        var outcome = EngineHarness.PatientView(
            Res.Patient(),
            Res.Condition(Res.Icd10Cm, "F33.2", MonthsAgo(18)),
            Res.Request(Res.Text("Zoloft 100 mg `x` [click](javascript:alert(1)) <img src=x onerror=alert(1)>"), Res.Dose(1, "tablet"), MonthsAgo(16), MonthsAgo(10)),
            Res.Request(Res.Rx("313586", "venlafaxine 75 MG Oral Tablet"), Res.Dose(1, "tablet", 2), MonthsAgo(10), MonthsAgo(3)),
            Res.Phq9(MonthsAgo(4), 17),
            Res.Request(Res.Rx("6470", "lorazepam", "Ativan `rm` **now** <b>1 mg</b>"), Res.Dose(1, "mg"), DaysAgo(10), null, MrStatus.Active),
            aneurysm);

        var card = Assert.Single(outcome.Cards);
        Assert.Equal(CardTopics.TrdCandidate, card.Source.Topic!.Code);
        AssertInert(card.ShortDetail!);
        Assert.Contains("Aortic aneurysm &lt;img", card.ShortDetail, StringComparison.Ordinal);
        Assert.Contains("Zoloft 100 mg \\`x\\` \\[click\\]", card.ShortDetail, StringComparison.Ordinal);
    }

    /// <summary>No HTML tag, no link or image syntax, no code span, no autolink.</summary>
    private static void AssertInert(string markdown)
    {
        Assert.DoesNotContain("<img", markdown, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", markdown, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", markdown, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<http", markdown, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"(?<!\\)\]\(", markdown);
        Assert.DoesNotMatch(@"(?<!\\)`", markdown);
        Assert.DoesNotMatch(@"https?://evil", markdown);
        Assert.DoesNotMatch(@"(?i)www\.evil", markdown);
        Assert.DoesNotMatch(@"(?<!\\)\[click", markdown);
        Assert.DoesNotMatch("\n#", markdown);
    }
}
