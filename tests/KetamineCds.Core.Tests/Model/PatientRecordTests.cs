using KetamineCds.Core.Model;

namespace KetamineCds.Core.Tests.Model;

public sealed class PatientRecordTests
{
    [Fact]
    public void FromResources_flattens_bundles_and_indexes_medications()
    {
        var bundle = new Hl7.Fhir.Model.Bundle
        {
            Type = Hl7.Fhir.Model.Bundle.BundleType.Searchset,
            Entry =
            [
                new() { FullUrl = "urn:uuid:m1", Resource = new Hl7.Fhir.Model.Medication { Id = "m1" } },
                new() { Resource = new Hl7.Fhir.Model.Condition { Id = "c1" } },
            ],
        };

        var record = PatientRecord.FromResources([bundle, new Hl7.Fhir.Model.Patient { Id = "p" }]);

        Assert.Equal("p", record.Patient?.Id);
        Assert.Single(record.Conditions);
        Assert.Same(record.Medications["urn:uuid:m1"], record.Medications["Medication/m1"]);
    }
}
