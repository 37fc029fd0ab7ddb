using Hl7.Fhir.Model;
using KetamineCds.Core.Medications;
using KetamineCds.Core.Model;
using KetamineCds.Core.Tests.Support;

namespace KetamineCds.Core.Tests.Medications;

public sealed class MedicationRecognizerTests
{
    private static readonly MedicationRecognizer Recognizer = new(Res.Knowledge);

    private static (string Name, decimal? Strength)[] Recognize(CodeableConcept concept) =>
        Recognizer.Recognize(concept, null).Components.Select(c => (c.Ingredient.Name, c.StrengthMg)).ToArray();

    [Fact]
    public void Ingredient_code_gives_the_ingredient_without_strength()
    {
        Assert.Equal([("sertraline", (decimal?)null)], Recognize(Res.Rx("36437")));
    }

    [Fact]
    public void Scd_code_from_the_vsac_expansion_gives_ingredient_and_strength()
    {
        var result = Recognizer.Recognize(Res.Rx("312938"), null);

        Assert.True(result.ByCode);
        Assert.Equal([("sertraline", (decimal?)100m)], result.Components.Select(c => (c.Ingredient.Name, c.StrengthMg)));
    }

    [Fact]
    public void Sbd_code_from_the_brand_table_gives_ingredient_and_strength()
    {
        // 208149 "Sertraline 100 MG Oral Tablet [Zoloft]" (brand-names.tsv example SBD)
        Assert.Equal([("sertraline", (decimal?)100m)], Recognize(Res.Rx("208149")));
    }

    [Theory]
    [InlineData("328670", "sertraline", 100)]
    [InlineData("406022", "fluoxetine", 25)]
    public void Synthea_codes_are_recognised(string code, string ingredient, int strength)
    {
        Assert.Equal([(ingredient, (decimal?)strength)], Recognize(Res.Rx(code)));
    }

    [Theory]
    [InlineData("Zoloft 100 mg tablet", "sertraline", 100)]
    [InlineData("Wellbutrin XL 300 mg", "bupropion", 300)]
    [InlineData("EFFEXOR-XR 150MG capsule", "venlafaxine", 150)]
    [InlineData("sertraline hydrochloride 50 mg oral tablet", "sertraline", 50)]
    [InlineData("Lexapro 10mg", "escitalopram", 10)]
    [InlineData("fluoxetine 0.02 g", "fluoxetine", 20)]
    public void Text_only_brand_or_generic_names_are_recognised_with_strength(string text, string ingredient, int strength)
    {
        var result = Recognizer.Recognize(Res.Text(text), null);

        Assert.False(result.ByCode);
        Assert.Equal(text, result.Text);
        Assert.Equal([(ingredient, (decimal?)strength)], result.Components.Select(c => (c.Ingredient.Name, c.StrengthMg)));
    }

    [Fact]
    public void Unknown_code_falls_back_to_the_display()
    {
        Assert.Equal([("mirtazapine", (decimal?)15m)], Recognize(Res.Rx("99999999", "Mirtazapine 15 MG Oral Tablet")));
    }

    [Fact]
    public void Ingredient_code_takes_its_strength_from_the_text()
    {
        Assert.Equal([("fluoxetine", (decimal?)20m)], Recognize(Res.Rx("4493", "fluoxetine", "fluoxetine 20 mg capsule")));
    }

    [Fact]
    public void Combination_brand_emits_every_ingredient()
    {
        var names = Recognize(Res.Text("Adderall 20 mg tablet")).Select(c => c.Name);

        Assert.Equal(["amphetamine", "dextroamphetamine"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Combination_product_code_adds_up_salts_of_one_ingredient()
    {
        // 541365 amphetamine aspartate 7.5 MG / amphetamine sulfate 7.5 MG / dextroamphetamine saccharate 7.5 MG / dextroamphetamine sulfate 7.5 MG [Adderall]
        var components = Recognize(Res.Rx("541365")).ToDictionary(c => c.Name, c => c.Strength);

        Assert.Equal(15m, components["amphetamine"]);
        Assert.Equal(15m, components["dextroamphetamine"]);
    }

    [Fact]
    public void Combination_scd_keeps_the_strength_of_each_known_ingredient()
    {
        // 1014615 acetaminophen 300 MG / oxycodone hydrochloride 5 MG Oral Tablet (VSAC Opioids); acetaminophen is not in the table.
        Assert.Equal([("oxycodone", (decimal?)5m)], Recognize(Res.Rx("1014615")));
    }

    [Fact]
    public void Esketamine_never_matches_ketamine_and_vice_versa()
    {
        Assert.Equal(["esketamine"], Recognize(Res.Text("esketamine 28 mg nasal spray")).Select(c => c.Name));
        Assert.Equal(["esketamine"], Recognize(Res.Text("Spravato 56 mg dose kit")).Select(c => c.Name));
        Assert.Equal(["ketamine"], Recognize(Res.Text("Ketamine HCl 50 mg/mL injection")).Select(c => c.Name));
        Assert.Equal(["ketamine"], Recognize(Res.Rx("6130")).Select(c => c.Name));
        Assert.Equal(["esketamine"], Recognize(Res.Rx("2119365")).Select(c => c.Name));
    }

    [Fact]
    public void Dextroamphetamine_never_matches_amphetamine()
    {
        Assert.Equal(["dextroamphetamine"], Recognize(Res.Text("dextroamphetamine sulfate 10 mg tablet")).Select(c => c.Name));
    }

    [Fact]
    public void Concentrations_give_no_per_unit_strength()
    {
        Assert.Equal([("ketamine", (decimal?)null)], Recognize(Res.Text("Ketamine HCl 50 mg/mL injection")));
    }

    [Fact]
    public void Unknown_drug_stays_unknown()
    {
        var result = Recognizer.Recognize(Res.Rx("723", "amoxicillin 500 MG Oral Capsule"), null);

        Assert.False(result.IsKnown);
        Assert.Empty(result.Components);
    }

    [Fact]
    public void Unverified_ingredient_is_recognised_by_name_only()
    {
        Assert.Equal(["zaleplon"], Recognize(Res.Text("zaleplon 10 mg capsule")).Select(c => c.Name));
    }

    [Fact]
    public void Contained_medication_reference_is_resolved()
    {
        var request = new MedicationRequest
        {
            Contained = [new Medication { Id = "med1", Code = Res.Rx("312941", "sertraline 50 MG Oral Tablet") }],
            Medication = new ResourceReference("#med1"),
        };

        var result = Recognizer.Recognize(request.Medication, request, PatientRecord.Empty);

        Assert.Equal([("sertraline", (decimal?)50m)], result.Components.Select(c => (c.Ingredient.Name, c.StrengthMg)));
    }

    [Theory]
    [InlineData("Medication/m1")]
    [InlineData("urn:uuid:5b1f")]
    [InlineData("https://ehr.example.org/fhir/Medication/m1")]
    public void Bundled_medication_reference_is_resolved(string reference)
    {
        var bundle = new Bundle
        {
            Entry = [new Bundle.EntryComponent { FullUrl = "urn:uuid:5b1f", Resource = new Medication { Id = "m1", Code = Res.Text("Celexa 20 mg tablet") } }],
        };
        var record = PatientRecord.FromResources([bundle]);

        var result = Recognizer.Recognize(new ResourceReference(reference), null, record);

        Assert.Equal([("citalopram", (decimal?)20m)], result.Components.Select(c => (c.Ingredient.Name, c.StrengthMg)));
    }

    [Fact]
    public void Medication_ingredient_strength_ratio_is_used()
    {
        var medication = new Medication
        {
            Id = "m2",
            Ingredient =
            [
                new Medication.IngredientComponent
                {
                    Item = Res.Rx("321988", "escitalopram"),
                    Strength = new Ratio(new Quantity(10, "mg"), new Quantity(1, "tablet")),
                },
            ],
        };

        var result = Recognizer.Recognize(medication.Code, medication);

        Assert.Equal([("escitalopram", (decimal?)10m)], result.Components.Select(c => (c.Ingredient.Name, c.StrengthMg)));
    }

    [Fact]
    public void Unresolvable_reference_without_display_is_unknown_not_an_error()
    {
        var result = Recognizer.Recognize(new ResourceReference("Medication/missing"), null, PatientRecord.Empty);

        Assert.False(result.IsKnown);
    }
}
