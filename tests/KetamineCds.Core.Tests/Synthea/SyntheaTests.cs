using KetamineCds.Core.Cards;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;
using KetamineCds.Core.Tests.Scenarios;

namespace KetamineCds.Core.Tests.Synthea;

/// <summary>
/// Real third-party Synthea bundles (8 depression + 6 controls; see Fixtures/synthea/README.md and manifest.json)
/// run through the engine at a fixed instant. Expectations come from the manifest: who is deceased, who has MDD,
/// who has hypertension or alcoholism.
/// </summary>
public sealed class SyntheaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<IClinicalEngine> Engine = new(() => ClinicalEngineFactory.Create(new ClinicalOptions()));

    /// <summary>Per patient (file name prefix): deceased per manifest.json, and the TRD status the spec implies (null = not asserted).</summary>
    private static readonly Dictionary<string, (bool Deceased, TrdStatus? Trd)> Expected = new(StringComparer.Ordinal)
    {
        // depression/
        ["Darron_Feeney"] = (true, null),
        ["Donnell_Torphy"] = (true, null),
        ["Eliseo_Cummings"] = (false, TrdStatus.NotApplicable), // PTSD resolved, sertraline, no MDD
        ["Gilbert_Wunsch"] = (true, null),
        ["Gilberto_Orosco"] = (true, null),
        ["Milan_Beatty"] = (false, TrdStatus.NotMet),           // MDD active, fluoxetine only (one ingredient)
        ["Roberto_Graham"] = (true, null),
        ["Sherman_McGlynn"] = (true, null),

        // controls/ (no depression, no antidepressant)
        ["Clemente_Kreiger"] = (false, TrdStatus.NotApplicable),
        ["Edward_Gulgowski"] = (false, TrdStatus.NotApplicable),
        ["Liz_Conn"] = (false, TrdStatus.NotApplicable),
        ["Murray_Hane"] = (true, null),
        ["Trey_Leffler"] = (false, TrdStatus.NotApplicable),
        ["Virginia_Mercado"] = (false, TrdStatus.NotApplicable),
    };

    public static TheoryData<string> BundleFiles => new(SyntheaBundles.Files);

    [Fact]
    public void Fixture_folder_holds_8_depression_and_6_control_bundles_all_with_expectations()
    {
        Assert.Equal(8, SyntheaBundles.Files.Count(f => f.StartsWith("depression/", StringComparison.Ordinal)));
        Assert.Equal(6, SyntheaBundles.Files.Count(f => f.StartsWith("controls/", StringComparison.Ordinal)));
        Assert.All(SyntheaBundles.Files, f => Assert.True(Expected.ContainsKey(PatientKey(f)), $"no expectation for {f}"));
        Assert.True(File.Exists(Path.Combine(SyntheaBundles.Folder, "README.md")), "fixture README (source and licence) missing");
    }

    [Theory]
    [MemberData(nameof(BundleFiles))]
    public void PatientView_gives_no_cards_and_the_expected_assessment(string file)
    {
        var bundle = SyntheaBundles.Load(file);
        var record = PatientRecord.FromResources([bundle]);
        Assert.NotNull(record.Patient);

        var outcome = Engine.Value.Evaluate(new EvaluationRequest(HookInput.PatientView, record, Now));

        CardInvariants.AssertAll(outcome.Cards, file);
        var (deceased, trd) = Expected[PatientKey(file)];

        // Deceased -> no cards; alive here: controls have no depression, Milan is not Met, Eliseo has no MDD,
        // and nobody is on ketamine, so patient-view has nothing to show for any of the 14 bundles.
        Assert.True(outcome.Cards.Count == 0, $"{file}: expected no cards, got\n{CardText.Describe(outcome.Cards)}");
        Assert.False(outcome.RequiredDataMissing, $"{file}: all data was supplied");
        Assert.NotNull(outcome.Assessment);
        Assert.Equal(deceased, outcome.Assessment.Deceased);
        Assert.False(outcome.Assessment.OnKetamineTherapy, file);
        if (trd is { } status)
        {
            Assert.Equal(status, outcome.Assessment.TrdStatus);
        }

        if (!deceased)
        {
            Assert.NotEqual(TrdStatus.Met, outcome.Assessment.TrdStatus);
        }
    }

    public static TheoryData<string, string> PrecautionControls => new()
    {
        { "Edward_Gulgowski", FindingCodes.Hypertension },   // Hypertension 38341003 (active)
        { "Liz_Conn", FindingCodes.Hypertension },           // Hypertension 38341003 (active)
        { "Trey_Leffler", FindingCodes.SubstanceUseDisorder }, // Alcoholism 7200002 (active)
    };

    [Theory]
    [MemberData(nameof(PrecautionControls))]
    public void OrderSign_esketamine_for_a_living_control_gives_precaution_bp_and_indication_cards(string patient, string finding)
    {
        var outcome = EvaluateEsketamineOrder(patient);

        CardInvariants.AssertAll(outcome.Cards, patient);
        Assert.NotNull(outcome.Assessment);
        Assert.True(outcome.Assessment.KetamineOrdered, patient);
        Assert.Contains(finding, outcome.Assessment.Findings);

        // One precaution card; the newest BP in these records is from 2018-2020 (> 30 days) -> blood-pressure info;
        // no depression -> indication-not-documented. No contraindication or interaction: the only other drugs are
        // orders still 'active' from 1961-2012 (not current) and not in an interaction class that applies.
        ExpectedCard[] expected =
        [
            new(CardTopics.Precaution, CardIndicator.Warning),
            new(CardTopics.BloodPressure, CardIndicator.Info),
            new(CardTopics.IndicationNotDocumented, CardIndicator.Warning),
        ];
        var problem = CardMatcher.Compare(expected, outcome.Cards);
        Assert.True(problem is null, $"{patient}: {problem}\nAssessment: {ScenarioVerifier.DescribeAssessment(outcome.Assessment)}");
    }

    [Fact]
    public void OrderSign_esketamine_for_Murray_Hane_alcoholism_but_deceased_gives_no_cards()
    {
        // Murray Hane has active Alcoholism 7200002, but manifest.json records his death in 2005:
        // "Deceased -> no cards" (issue 3) takes precedence over the substance-use precaution.
        var outcome = EvaluateEsketamineOrder("Murray_Hane");

        CardInvariants.AssertAll(outcome.Cards, "Murray_Hane");
        Assert.True(outcome.Cards.Count == 0, CardText.Describe(outcome.Cards));
        Assert.NotNull(outcome.Assessment);
        Assert.True(outcome.Assessment.Deceased);
    }

    private static EvaluationOutcome EvaluateEsketamineOrder(string patient)
    {
        var record = PatientRecord.FromResources([SyntheaBundles.Load(SyntheaBundles.FileOf(patient))]);
        var hook = new HookInput(HookKind.OrderSign, [Hooks.EsketamineDraft()], []);
        return Engine.Value.Evaluate(new EvaluationRequest(hook, record, Now));
    }

    private static string PatientKey(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        var parts = name.Split('_');
        return parts[0] + "_" + parts[1];
    }
}
