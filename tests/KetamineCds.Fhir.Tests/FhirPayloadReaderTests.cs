using System.Text;
using Hl7.Fhir.Model;
using KetamineCds.Fhir.Parsing;
using KetamineCds.Fhir.Tests.Support;

namespace KetamineCds.Fhir.Tests;

public sealed class FhirPayloadReaderTests
{
    private static FhirPayload Read(string json) => FhirPayloadReader.Read(Encoding.UTF8.GetBytes(json));

    private static string BundleWith(params string[] entries)
        => $$"""{"resourceType":"Bundle","type":"searchset","entry":[{{string.Join(',', entries)}}]}""";

    private static string Entry(string resource) => $$"""{"fullUrl":"https://ehr.test/fhir/x","resource":{{resource}}}""";

    private const string GoodObservation = """{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"}}""";

    [Theory]
    [InlineData("""{"resourceType":"NotAResource","id":"x"}""")]
    [InlineData("\"just a string\"")]
    [InlineData("""{"id":"no-resource-type"}""")]
    [InlineData("""{"resourceType":"Observation","id":"o9","status":"final","code":{"text":"x"},"valueQuantity":{"value":1},"valueString":"y"}""")]
    [InlineData("42")]
    [InlineData("""{"resourceType":"Condition","id":"c9","code":{"text":"depression"},"code":{"text":"none"}}""")]
    [InlineData("""{"resourceType":"Observation","id":"o9","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8480-6","code":"8462-4"}]}}""")]
    [InlineData("""{"resourceType":"MedicationRequest","id":"m9","status":"active","intent":"order","medicationCodeableConcept":{"text":"sertraline"},"medicationReference":{"reference":"Medication/x"}}""")]
    [InlineData("""{"resourceType":"MedicationRequest","id":"m9","dosageInstruction":[{"timing":{"repeat":{"frequency":1,"frequency":2}}},{"text":"after"}],"status":"active","note":[{"text":"x"}]}""")]
    [InlineData("""{"resourceType":"Observation","resourceType":"Observation","id":"o9","status":"final","code":{"text":"x"}}""")]
    [InlineData("""{"resourceType":"\ud800","id":"o9","status":"final","code":{"text":"x"}}""")]
    [InlineData("""{"resourceType":"\ud800","resourceType":"Observation","id":"o9","status":"final","code":{"text":"x"}}""")]
    [InlineData("""{"resourceType":"MedicationRequest","id":"m9","status":"active","intent":"order","contained":[{"resourceType":7,"id":"med"}],"medicationReference":{"reference":"#med"}}""")]
    public void Broken_entry_is_skipped_and_counted_the_rest_of_the_bundle_is_kept(string broken)
    {
        var payload = Read(BundleWith(Entry(GoodObservation), Entry(broken), Entry(GoodObservation.Replace("o1", "o2", StringComparison.Ordinal))));

        Assert.Equal(FhirPayloadStatus.Usable, payload.Status);
        Assert.Equal(1, payload.Skipped);
        var bundle = Assert.IsType<Bundle>(Assert.Single(payload.Resources));
        Assert.Equal(["o1", "o2"], bundle.Entry.Select(e => e.Resource!.Id));
        Assert.All(bundle.Entry, e => Assert.Equal("https://ehr.test/fhir/x", e.FullUrl));
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","entry":[],"resourceType":"Bundle"}""")]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","entry":[],"resourceType":5}""")]
    [InlineData("""{"resourceType":"\ud800","type":"searchset","entry":[]}""")]
    public void A_body_whose_resourceType_is_given_twice_or_is_not_text_is_unreadable(string json)
    {
        Assert.Equal(FhirPayloadStatus.Unreadable, Read(json).Status);
    }

    [Fact]
    public void Members_are_read_in_any_order()
    {
        // One forward pass: resourceType last in the resource and in the Bundle, fullUrl after the resource, link after entry.
        var payload = Read("""
            {"type":"searchset",
             "entry":[{"resource":{"id":"o1","status":"final","code":{"text":"x"},"resourceType":"Observation"},"fullUrl":"https://ehr.test/fhir/Observation/o1"}],
             "link":[{"url":"https://ehr.test/fhir/Observation?page=2","relation":"next"}],
             "resourceType":"Bundle"}
            """);

        var bundle = Assert.IsType<Bundle>(Assert.Single(payload.Resources));
        var entry = Assert.Single(bundle.Entry);
        Assert.Equal("o1", entry.Resource!.Id);
        Assert.Equal(ObservationStatus.Final, ((Observation)entry.Resource).Status);
        Assert.Equal("https://ehr.test/fhir/Observation/o1", entry.FullUrl);
        Assert.Equal("https://ehr.test/fhir/Observation?page=2", payload.NextLink);
        Assert.Equal(0, payload.Skipped);
    }

    [Theory]
    [InlineData("""{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">NARRATIVE</div>"}""")]
    [InlineData("""{"status":"bogus","div":42}""")]
    [InlineData("""["not", "a", "narrative"]""")]
    public void The_narrative_is_left_out_and_the_data_kept_whatever_its_size_or_shape(string narrative)
    {
        // EHRs send a narrative with most resources; no rule reads it. A 1 MB one must not cost a 2 MB string, and a
        // broken one must not cost the resource.
        var text = narrative.Replace("NARRATIVE", new string('x', 1_000_000), StringComparison.Ordinal);
        var observation = $$$"""{"resourceType":"Observation","id":"o1","text":{{{text}}},"status":"final","code":{"text":"PHQ-9"},"valueQuantity":{"value":21}}""";

        var payload = Read(BundleWith(Entry(observation)));

        Assert.Equal(0, payload.Skipped);
        var read = Assert.IsType<Observation>(Assert.Single(Assert.IsType<Bundle>(Assert.Single(payload.Resources)).Entry).Resource);
        Assert.Equal(21m, Assert.IsType<Quantity>(read.Value).Value);
        Assert.Equal("PHQ-9", read.Code.Text);
        Assert.Null(read.Text);
    }

    [Fact]
    public void Recoverable_mode_keeps_a_resource_with_unknown_elements_and_codes()
    {
        var payload = Read("""{"resourceType":"Patient","id":"p1","gender":"robot","bogus":true}""");

        Assert.Equal(FhirPayloadStatus.Usable, payload.Status);
        Assert.Equal(0, payload.Skipped);
        Assert.Equal("p1", Assert.IsType<Patient>(Assert.Single(payload.Resources)).Id);
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","id":"o9","status":{"nested":"object"},"code":{"text":"x"}}""")]
    [InlineData("""{"resourceType":"Observation","id":"o9","status":"final","code":{"text":"x"},"effectiveDateTime":"yesterday"}""")]
    [InlineData("""{"resourceType":"Observation","id":"o9","status":"final","code":{"text":"x"},"valueQuantity":[1,2,3]}""")]
    public void Recoverable_mode_keeps_observations_with_wrong_json_types_or_invalid_values(string observation)
    {
        var payload = Read(BundleWith(Entry(observation)));

        Assert.Equal(0, payload.Skipped);
        var entry = Assert.Single(Assert.IsType<Bundle>(Assert.Single(payload.Resources)).Entry);
        Assert.Equal("o9", Assert.IsType<Observation>(entry.Resource).Id);
    }

    [Theory]
    [InlineData("""{"resourceType":"NotAResource","id":"x"}""")]
    [InlineData("""{"id":"no-resource-type"}""")]
    public void A_top_level_value_that_is_not_an_R4_resource_is_unreadable(string json)
    {
        var payload = Read(json);

        Assert.Equal(FhirPayloadStatus.Unreadable, payload.Status);
        Assert.Equal(1, payload.Skipped);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("<Patient xmlns=\"http://hl7.org/fhir\"/>")]
    public void Unparsable_body_is_unreadable_and_counted(string body)
    {
        var payload = Read(body);

        Assert.Equal(FhirPayloadStatus.Unreadable, payload.Status);
        Assert.Equal(1, payload.Skipped);
        Assert.Empty(payload.Resources);
    }

    [Fact]
    public void OperationOutcome_is_recognised()
    {
        var payload = Read("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception"}]}""");

        Assert.Equal(FhirPayloadStatus.OperationOutcome, payload.Status);
        Assert.Empty(payload.Resources);
    }

    [Theory]
    [InlineData("error", 1)]
    [InlineData("fatal", 1)]
    [InlineData("warning", 0)]
    [InlineData("information", 0)]
    public void OperationOutcome_entries_are_counted_by_severity(string severity, int errors)
    {
        var outcome = $$"""{"resourceType":"OperationOutcome","issue":[{"severity":"{{severity}}","code":"processing"}]}""";

        var payload = Read(BundleWith(Entry(GoodObservation), Entry(outcome)));

        Assert.Equal(1, payload.OutcomeEntries);
        Assert.Equal(errors, payload.ErrorOutcomeEntries);
        Assert.Single(Assert.IsType<Bundle>(Assert.Single(payload.Resources)).Entry);
    }

    [Fact]
    public void Next_link_is_read_from_the_bundle()
    {
        var payload = Read("""
            {"resourceType":"Bundle","type":"searchset",
             "link":[{"relation":"self","url":"https://ehr.test/fhir/Condition?page=1"},{"relation":"next","url":"https://ehr.test/fhir/Condition?page=2"}],
             "entry":[]}
            """);

        Assert.Equal("https://ehr.test/fhir/Condition?page=2", payload.NextLink);
        Assert.True(payload.IsBundle);
    }

    [Fact]
    public void A_prefetch_element_parses_like_the_same_json_body()
    {
        var bundle = TestPatient.ValueFor("observations");

        var fromElement = PrefetchValue.From(TestPatient.Element(bundle)).Payload;
        var fromBytes = Read(TestPatient.Json(bundle));

        Assert.Equal(TestPatient.Json(fromBytes.Resources[0]), TestPatient.Json(fromElement.Resources[0]));
        Assert.Equal(2, ((Bundle)fromElement.Resources[0]).Entry.Count);
    }
}
