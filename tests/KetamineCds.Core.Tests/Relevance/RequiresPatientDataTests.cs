using Hl7.Fhir.Model;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Tests.Relevance;

/// <summary>Order calls that involve neither ketamine/esketamine nor an interacting drug are answered without reading the record.</summary>
public sealed class RequiresPatientDataTests
{
    private static readonly IClinicalEngine Engine = ClinicalEngineFactory.Create(new ClinicalOptions());

    [Theory]
    [InlineData("6130", "ketamine", true)]
    [InlineData("2119365", "esketamine", true)]
    [InlineData("197901", "lorazepam 1 MG Oral Tablet", true)]
    [InlineData("7804", "oxycodone", true)]
    [InlineData("723", "amoxicillin 500 MG Oral Capsule", false)]
    [InlineData("312938", "sertraline 100 MG Oral Tablet", false)]
    public void Order_hooks_need_the_record_only_for_relevant_drafts(string rxnorm, string display, bool expected)
    {
        var hook = new HookInput(HookKind.OrderSign, [Draft(new CodeableConcept("http://www.nlm.nih.gov/research/umls/rxnorm", rxnorm, display))], []);

        Assert.Equal(expected, Engine.RequiresPatientData(hook));
    }

    [Fact]
    public void Text_only_brand_name_draft_is_recognised()
    {
        var hook = new HookInput(HookKind.OrderSelect, [Draft(new CodeableConcept { Text = "Spravato 56 mg nasal spray" })], ["MedicationRequest/d1"]);

        Assert.True(Engine.RequiresPatientData(hook));
    }

    [Fact]
    public void Non_medication_drafts_need_no_record()
    {
        var hook = new HookInput(HookKind.OrderSign, [new NutritionOrder { Id = "n1", Status = RequestStatus.Draft }, new ServiceRequest { Id = "s1" }], []);

        Assert.False(Engine.RequiresPatientData(hook));
    }

    [Fact]
    public void Patient_view_always_needs_the_record()
        => Assert.True(Engine.RequiresPatientData(HookInput.PatientView));

    private static MedicationRequest Draft(CodeableConcept medication) => new()
    {
        Id = "d1",
        Status = MedicationRequest.MedicationrequestStatus.Draft,
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = medication,
        Subject = new ResourceReference("Patient/p1"),
    };
}
