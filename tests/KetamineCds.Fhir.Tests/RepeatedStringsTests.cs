using System.Text;
using Hl7.Fhir.Model;
using KetamineCds.Fhir.Parsing;

namespace KetamineCds.Fhir.Tests;

/// <summary>
/// Code-system URIs and quantity units repeat across resources and records: they are read once per thread and then
/// shared (<see cref="RepeatedStrings"/>), with the same values as before; patient data is never shared. The reads here
/// are synchronous, so they run on one thread and see one table.
/// </summary>
public sealed class RepeatedStringsTests
{
    private const string System = "http://example.test/CodeSystem/repeated-strings-tests";

    private static Observation ReadObservation(string json)
        => Assert.IsType<Observation>(Assert.Single(FhirPayloadReader.Read(Encoding.UTF8.GetBytes(json)).Resources));

    private static string ObservationJson(string id, string system, string unit) => $$$"""
        {"resourceType":"Observation","id":"{{{id}}}","status":"final",
         "code":{"coding":[{"system":"{{{system}}}","code":"44261-6","display":"PHQ-9"}],"text":"PHQ-9 total"},
         "subject":{"reference":"Patient/p-{{{id}}}"},
         "valueQuantity":{"value":21,"unit":"{{{unit}}}","code":"{{{unit}}}"}}
        """;

    [Fact]
    public void A_system_and_a_unit_read_in_two_records_are_one_string_with_the_same_value()
    {
        var first = ReadObservation(ObservationJson("a", System, "{score}"));
        var second = ReadObservation(ObservationJson("b", System, "{score}"));

        Assert.Equal(System, first.Code.Coding[0].System);
        Assert.Same(first.Code.Coding[0].System, second.Code.Coding[0].System);
        var unitA = Assert.IsType<Quantity>(first.Value);
        var unitB = Assert.IsType<Quantity>(second.Value);
        Assert.Equal("{score}", unitA.Unit);
        Assert.Same(unitA.Unit, unitB.Unit);
        Assert.Same(unitA.Code, unitB.Code);
        // Patient data is never shared: each record's reference and id are its own.
        Assert.Equal("Patient/p-b", second.Subject?.Reference);
    }

    [Fact]
    public void An_escaped_system_reads_as_its_text_and_invalid_UTF8_still_makes_the_resource_unreadable()
    {
        var escaped = ReadObservation(ObservationJson("c", @"http:\/\/example.test\/CodeSystem\/repeated-strings-tests", "mg"));
        Assert.Equal(System, escaped.Code.Coding[0].System);

        var json = Encoding.UTF8.GetBytes(ObservationJson("d", "http://example.test/BAD", "mg"));
        var bad = json.AsSpan().IndexOf("BAD"u8);
        json[bad] = 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
        var payload = FhirPayloadReader.Read(json);

        Assert.Empty(payload.Resources);
        Assert.Equal(1, payload.Skipped);
    }

    [Fact]
    public void A_value_up_to_the_length_limit_is_shared_a_longer_one_is_read_as_usual()
    {
        static string Read(string value)
        {
            var reader = new System.Text.Json.Utf8JsonReader(Encoding.UTF8.GetBytes($"\"{value}\""));
            reader.Read();
            return RepeatedStrings.Read(ref reader);
        }

        var longest = "urn:" + new string('l', RepeatedStrings.MaxBytes - 4);
        var tooLong = "urn:" + new string('t', RepeatedStrings.MaxBytes - 3);

        Assert.Same(Read(longest), Read(longest));
        var (first, second) = (Read(tooLong), Read(tooLong));
        Assert.Equal(tooLong, first);
        Assert.Equal(tooLong, second);
        Assert.NotSame(first, second);
    }
}
