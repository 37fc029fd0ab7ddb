using System.Text.Json.Nodes;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Knowledge;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Tests.Knowledge;

/// <summary>The loader validates every data file and fails naming the file and the entry.</summary>
public sealed class KnowledgeBaseLoaderTests
{
    private static readonly EmbeddedKnowledgeSource Embedded = new();

    [Fact]
    public void Load_unmodified_embedded_files_succeeds()
    {
        var kb = KnowledgeBaseLoader.Load(Embedded);

        Assert.Equal("2026.12.1", kb.Version);
    }

    [Fact]
    public void Duplicate_ingredient_code_fails_naming_file_and_entry()
    {
        var source = Modify(KnowledgeBaseLoader.IngredientsFile, root =>
        {
            var list = root["ingredients"]!.AsArray();
            var fluoxetine = list.First(n => (string?)n!["name"] == "fluoxetine")!;
            fluoxetine["rxcui"] = "36437"; // sertraline's RXCUI
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        // Reported at the second entry with the code, naming the first one too.
        Assert.Equal("ingredients.json", ex.File);
        Assert.Contains("sertraline", ex.Entry, StringComparison.Ordinal);
        Assert.Contains("duplicate code RxNorm 36437", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(fluoxetine)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ingredients.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interaction_class_that_does_not_exist_fails()
    {
        var source = Modify(KnowledgeBaseLoader.IngredientsFile, root =>
        {
            var lorazepam = root["ingredients"]!.AsArray().First(n => (string?)n!["name"] == "lorazepam")!;
            lorazepam["interactionClasses"] = new JsonArray("benzodiazepenes");
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Equal("ingredients.json", ex.File);
        Assert.Contains("lorazepam", ex.Entry, StringComparison.Ordinal);
        Assert.Contains("interaction class 'benzodiazepenes' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_without_verification_status_fails()
    {
        var source = Modify(KnowledgeBaseLoader.ConceptSetsFile, root =>
        {
            var avm = root["conceptSets"]!.AsArray().First(n => (string?)n!["id"] == "arteriovenous-malformation")!;
            avm["codes"]!.AsArray()[0]!.AsObject().Remove("codeStatus");
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Equal("concept-sets.json", ex.File);
        Assert.Contains("arteriovenous-malformation", ex.Entry, StringComparison.Ordinal);
        Assert.Contains("Q28.0", ex.Entry, StringComparison.Ordinal);
        Assert.Contains("codeStatus is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingredient_without_rxcui_must_be_marked_unverified()
    {
        var source = Modify(KnowledgeBaseLoader.IngredientsFile, root =>
        {
            var zaleplon = root["ingredients"]!.AsArray().First(n => (string?)n!["name"] == "zaleplon")!;
            zaleplon["codeStatus"] = "verified";
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Contains("zaleplon", ex.Entry, StringComparison.Ordinal);
        Assert.Contains("unverified", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_code_within_a_concept_set_fails()
    {
        var source = Modify(KnowledgeBaseLoader.ConceptSetsFile, root =>
        {
            var codes = root["conceptSets"]!.AsArray().First(n => (string?)n!["id"] == "interstitial-cystitis")!["codes"]!.AsArray();
            codes.Add(codes[0]!.DeepClone());
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Equal("concept-sets.json", ex.File);
        Assert.Contains("N30.10", ex.Entry, StringComparison.Ordinal);
        Assert.Contains("duplicate code", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_key_not_declared_fails()
    {
        var source = Modify(KnowledgeBaseLoader.InteractionClassesFile, root =>
        {
            root["interactionClasses"]!.AsArray()[0]!["sources"] = new JsonArray("L99");
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Equal("interaction-classes.json", ex.File);
        Assert.Contains("benzodiazepines", ex.Entry, StringComparison.Ordinal);
        Assert.Contains("source 'L99' is not declared", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Brand_naming_an_unknown_ingredient_fails()
    {
        var source = Modify(KnowledgeBaseLoader.BrandsFile, root =>
        {
            var zoloft = root["brands"]!.AsArray().First(n => (string?)n!["brand"] == "Zoloft")!;
            zoloft["ingredients"] = new JsonArray("sertralin");
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Equal("brand-names.json", ex.File);
        Assert.Contains("Zoloft", ex.Entry, StringComparison.Ordinal);
        Assert.Contains("'sertralin' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Brand_names_equal_after_normalisation_are_duplicates()
    {
        var source = Modify(KnowledgeBaseLoader.BrandsFile, root =>
        {
            root["brands"]!.AsArray().Add(new JsonObject
            {
                ["brand"] = "ZOLOFT",
                ["ingredients"] = new JsonArray("sertraline"),
                ["source"] = "BN",
            });
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Contains("ZOLOFT", ex.Entry, StringComparison.Ordinal);
        Assert.Contains("duplicate name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_member_is_rejected_so_typos_do_not_pass_silently()
    {
        var source = Modify(KnowledgeBaseLoader.InteractionClassesFile, root =>
        {
            root["interactionClasses"]!.AsArray()[1]!["severty"] = "major";
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Equal("interaction-classes.json", ex.File);
        Assert.Contains("severty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_severity_fails()
    {
        var source = Modify(KnowledgeBaseLoader.InteractionClassesFile, root =>
        {
            root["interactionClasses"]!.AsArray()[1]!["severity"] = "serious";
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Contains("opioids", ex.Entry, StringComparison.Ordinal);
        Assert.Contains("'serious'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_json_names_the_file()
    {
        var source = new InMemoryKnowledgeSource(
            new Dictionary<string, string> { [KnowledgeBaseLoader.ProductsFile] = "{ \"products\": [ { \"code\": " },
            Embedded);

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Equal("products.json", ex.File);
        Assert.Contains("invalid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_value_set_file_fails_naming_the_referencing_entry()
    {
        var source = Modify(KnowledgeBaseLoader.ConceptSetsFile, root =>
        {
            var bipolar = root["conceptSets"]!.AsArray().First(n => (string?)n!["id"] == "bipolar-disorder")!;
            bipolar["valueSets"]!.AsArray()[0]!["file"] = "valuesets/valueset-does-not-exist.json";
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Equal("concept-sets.json", ex.File);
        Assert.Contains("bipolar-disorder", ex.Entry, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Product_whose_display_names_no_known_ingredient_fails()
    {
        var source = Modify(KnowledgeBaseLoader.ProductsFile, root =>
        {
            root["products"]!.AsArray().Add(new JsonObject
            {
                ["code"] = "999999",
                ["display"] = "amoxicillin 500 MG Oral Capsule",
                ["codeStatus"] = "verified",
                ["source"] = "C-B",
            });
        });

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Equal("products.json", ex.File);
        Assert.Contains("999999", ex.Entry, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_version_fails()
    {
        var source = Modify(KnowledgeBaseLoader.KnowledgeBaseFile, root => root.AsObject().Remove("version"));

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Equal("knowledge-base.json", ex.File);
        Assert.Contains("version", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unverified_codes_are_not_used_for_matching()
    {
        var kb = KnowledgeBaseLoader.Load(Embedded);

        // Q27.3x (peripheral AVM) is marked unverified in concept-sets.json; Q28.2 is verified.
        Assert.Equal(0UL, kb.Match(CodeSystems.Icd10Cm, "Q27.3") & kb.Concept("arteriovenous-malformation").Mask);
        Assert.NotEqual(0UL, kb.Match(CodeSystems.Icd10Cm, "Q28.2") & kb.Concept("arteriovenous-malformation").Mask);
    }

    [Fact]
    public void Every_contraindication_and_precaution_finding_has_display_guidance_and_sources()
    {
        var kb = KnowledgeBaseLoader.Load(Embedded);
        string[] codes =
        [
            FindingCodes.AneurysmalVascularDisease, FindingCodes.ArteriovenousMalformation, FindingCodes.IntracerebralHemorrhage,
            FindingCodes.KetamineHypersensitivity, FindingCodes.AgeUnder18, FindingCodes.Psychosis, FindingCodes.SubstanceUseDisorder,
            FindingCodes.Pregnancy, FindingCodes.Hypertension, FindingCodes.RaisedIntracranialPressure, FindingCodes.SevereCardiovascularDisease,
            FindingCodes.InterstitialCystitis, FindingCodes.BipolarDisorder, FindingCodes.BloodPressureElevated, FindingCodes.BloodPressureNotRecent,
            FindingCodes.IndicationNotDocumented, FindingCodes.Hyperthyroidism, FindingCodes.Breastfeeding,
        ];

        foreach (var code in codes)
        {
            Assert.True(kb.FindingTexts.TryGetValue(code, out var text), code);
            Assert.False(string.IsNullOrWhiteSpace(text.Guidance), code);
            Assert.NotEmpty(text.Sources);
        }
    }

    [Fact]
    public void Interaction_class_ids_are_the_ones_FindingCodes_publishes()
    {
        var kb = KnowledgeBaseLoader.Load(Embedded);
        var published = typeof(FindingCodes.InteractionClasses)
            .GetFields()
            .Select(f => (string)f.GetValue(null)!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(published, kb.InteractionClasses.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Finding_kind_in_the_data_decides_contraindication_or_precaution_not_the_code_prefix()
    {
        // Psychosis made a contraindication by data alone: its finding code still starts with "precaution:".
        var source = Modify(KnowledgeBaseLoader.ConceptSetsFile, root =>
        {
            var set = root["conceptSets"]!.AsArray().First(n => (string?)n!["id"] == "psychosis")!;
            set["kind"] = "contraindication";
        });
        var kb = KnowledgeBaseLoader.Load(source);
        var engine = ClinicalEngineFactory.Create(new ClinicalOptions(), kb);

        var outcome = engine.Evaluate(new EvaluationRequest(
            new HookInput(HookKind.OrderSign, [Support.Res.Draft(Support.Res.Rx("2119365", "esketamine"), "esk-1")], []),
            PatientRecord.FromResources([Support.Res.Patient(), Support.Res.Condition(Support.Res.Icd10Cm, "F20.0", Support.Clock.MonthsAgo(30))]),
            Support.Clock.Now));

        var card = Assert.Single(outcome.Cards, c => c.Source.Topic!.Code == KetamineCds.Core.Cards.CardTopics.Contraindication);
        Assert.Contains("psychosis", card.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Cards, c => c.Source.Topic!.Code == KetamineCds.Core.Cards.CardTopics.Precaution);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("warning")]
    public void Finding_without_a_known_kind_fails(string? kind)
    {
        var source = Modify(KnowledgeBaseLoader.KnowledgeBaseFile, root =>
            root["findings"]!.AsArray().First(n => (string?)n!["findingCode"] == FindingCodes.AgeUnder18)!["kind"] = kind);

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Contains(FindingCodes.AgeUnder18, ex.Entry, StringComparison.Ordinal);
        Assert.Contains("kind must be", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Override_reason_that_is_not_declared_fails()
    {
        var source = Modify(KnowledgeBaseLoader.ConceptSetsFile, root =>
            root["conceptSets"]!.AsArray().First(n => (string?)n!["id"] == "arteriovenous-malformation")!["overrideReasons"] = new JsonArray("made-up"));

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Contains("override reason 'made-up' is not declared", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("L99", "is not declared")]
    [InlineData("G9", "has no url")]
    public void A_product_label_must_be_a_declared_source_with_a_url(string key, string expected)
    {
        var source = Modify(KnowledgeBaseLoader.KnowledgeBaseFile, root => root["productLabels"]!["ketamine"] = key);

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseLoader.Load(source));

        Assert.Equal("knowledge-base.json", ex.File);
        Assert.Equal("productLabels.ketamine", ex.Entry);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static InMemoryKnowledgeSource Modify(string file, Action<JsonNode> change)
    {
        var root = JsonNode.Parse(Embedded.Read(file)!)!;
        change(root);
        return new InMemoryKnowledgeSource(new Dictionary<string, string> { [file] = root.ToJsonString() }, Embedded);
    }
}
