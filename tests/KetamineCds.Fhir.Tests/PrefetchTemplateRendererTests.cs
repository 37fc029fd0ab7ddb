using KetamineCds.Fhir.Prefetch;

namespace KetamineCds.Fhir.Tests;

public sealed class PrefetchTemplateRendererTests
{
    private static readonly Dictionary<string, string> Tokens = new()
    {
        ["context.patientId"] = "123",
        ["context.encounterId"] = "enc 7",
        ["userPractitionerId"] = "dr/1",
        ["userPractitionerRoleId"] = "role&1",
    };

    [Theory]
    [InlineData("Patient/{{context.patientId}}", "Patient/123")]
    [InlineData("Condition?patient={{context.patientId}}", "Condition?patient=123")]
    [InlineData("Encounter/{{ context.encounterId }}", "Encounter/enc%207")]
    [InlineData("Practitioner/{{userPractitionerId}}", "Practitioner/dr%2F1")]
    [InlineData("PractitionerRole?_id={{userPractitionerRoleId}}&x={{context.patientId}}", "PractitionerRole?_id=role%261&x=123")]
    [InlineData("Observation?patient={{context.patientId}}&code=http://loinc.org|44261-6", "Observation?patient=123&code=http://loinc.org|44261-6")]
    public void Tokens_are_substituted_and_url_encoded(string template, string expected)
    {
        Assert.True(PrefetchTemplateRenderer.TryRender(template, Tokens, out var rendered, out var missing));
        Assert.Equal(expected, rendered);
        Assert.Null(missing);
    }

    [Theory]
    [InlineData("Patient/{{userPatientId}}", "userPatientId")]
    [InlineData("Condition?patient={{context.patientId}}&encounter={{context.missing}}", "context.missing")]
    public void A_token_without_value_means_the_template_is_not_run(string template, string expectedMissing)
    {
        Assert.False(PrefetchTemplateRenderer.TryRender(template, Tokens, out var rendered, out var missing));
        Assert.Null(rendered);
        Assert.Equal(expectedMissing, missing);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("..")]
    [InlineData(".")]
    public void Empty_or_dot_segment_values_count_as_missing(string value)
    {
        var tokens = new Dictionary<string, string> { ["context.patientId"] = value };

        Assert.False(PrefetchTemplateRenderer.TryRender("Patient/{{context.patientId}}", tokens, out _, out var missing));
        Assert.Equal("context.patientId", missing);
    }

    [Fact]
    public void Every_shipped_template_renders_with_a_patient_id_only()
    {
        var tokens = new Dictionary<string, string> { ["context.patientId"] = "p" };

        Assert.All(PrefetchTemplates.All, t =>
        {
            Assert.True(PrefetchTemplateRenderer.TryRender(t.Template, tokens, out var rendered, out _));
            Assert.DoesNotContain("{{", rendered, StringComparison.Ordinal);
        });
    }
}
