using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Tests.Model;

public sealed class FhirRepairTests
{
    [Fact]
    public void Values_of_the_wrong_type_become_absent_and_the_rest_is_kept()
    {
        var request = FhirJsonDeserializer.RECOVERABLE.Deserialize<MedicationRequest>(
            """{"resourceType":"MedicationRequest","status":"bogus","intent":"order","authoredOn":"2026-01-01","medicationCodeableConcept":{"text":"sertraline 50 mg"},"dosageInstruction":[{"doseAndRate":[{"doseQuantity":{"value":"fifty","unit":"mg"}}],"timing":{"repeat":{"frequency":2,"period":1e300,"periodUnit":"d"}}}]}""");

        var removed = FhirRepair.RemoveUnreadableValues(request);

        Assert.Equal(3, removed);
        Assert.Null(request.Status);
        var dosage = request.DosageInstruction[0];
        Assert.Null(Assert.IsType<Quantity>(dosage.DoseAndRate[0].Dose).Value);
        Assert.Null(dosage.Timing!.Repeat!.Period);
        Assert.Equal(2, dosage.Timing.Repeat.Frequency);
        Assert.Equal(MedicationRequest.MedicationRequestIntent.Order, request.Intent);
        Assert.Equal("sertraline 50 mg", request.Medication is CodeableConcept c ? c.Text : null);
    }

    [Fact]
    public void Elements_of_the_wrong_shape_or_type_are_removed()
    {
        var request = FhirJsonDeserializer.RECOVERABLE.Deserialize<MedicationRequest>(
            """{"resourceType":"MedicationRequest","status":["active"],"intent":"order","dosageInstruction":{"text":"daily"},"medicationCodeableConcept":{"coding":{"code":"36437"},"text":"sertraline"}}""");
        var observation = FhirJsonDeserializer.RECOVERABLE.Deserialize<Observation>(
            """{"resourceType":"Observation","status":"final","code":{"text":"PHQ-9"},"valueQuantity":{"value":7}}""");

        FhirRepair.RemoveUnreadableValues(request);
        FhirRepair.RemoveUnreadableValues(observation);

        Assert.Null(request.Status);
        Assert.Empty(request.DosageInstruction);
        Assert.Equal("sertraline", Assert.IsType<CodeableConcept>(request.Medication).Text);
        Assert.Equal(7m, Assert.IsType<Quantity>(observation.Value).Value);
    }

    [Fact]
    public void A_valid_resource_is_left_alone()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "44261-6"),
            Value = new Quantity(19, "{score}"),
            Effective = new FhirDateTime("2026-11-01"),
        };

        Assert.Equal(0, FhirRepair.RemoveUnreadableValues(observation));
        Assert.Equal(19m, ((Quantity)observation.Value).Value);
    }
}
