using KetamineCds.Fhir.Http;

namespace KetamineCds.Fhir.Tests;

public sealed class FhirBaseUrlTests
{
    private static FhirBaseUrl Base(string url)
    {
        Assert.True(FhirBaseUrl.TryCreate(new Uri(url), out var result));
        return result;
    }

    [Theory]
    [InlineData("https://ehr.example.org/fhir", "https://ehr.example.org/fhir")]
    [InlineData("https://EHR.Example.org:443/fhir/", "https://ehr.example.org/fhir")]
    [InlineData("https://ehr.example.org:8443/fhir/r4/", "https://ehr.example.org:8443/fhir/r4")]
    [InlineData("https://ehr.example.org/", "https://ehr.example.org")]
    [InlineData("http://localhost:5000/fhir", "http://localhost:5000/fhir")]
    [InlineData("http://127.0.0.1:5000/fhir", "http://127.0.0.1:5000/fhir")]
    public void Normalises_scheme_host_port_and_trailing_slash(string url, string expected)
        => Assert.Equal(expected, Base(url).ToString());

    [Theory]
    [InlineData("http://ehr.example.org/fhir")]
    [InlineData("ftp://ehr.example.org/fhir")]
    [InlineData("https://user:pw@ehr.example.org/fhir")]
    [InlineData("https://ehr.example.org/fhir?tenant=1")]
    [InlineData("https://ehr.example.org/fhir#x")]
    public void Refuses_insecure_or_odd_base_urls(string url)
        => Assert.False(FhirBaseUrl.TryCreate(new Uri(url), out _));

    [Theory]
    [InlineData("https://ehr.example.org/fhir", true)]
    [InlineData("https://ehr.example.org/fhir/", true)]
    [InlineData("https://ehr.example.org:443/fhir", true)]
    [InlineData("https://EHR.EXAMPLE.ORG/fhir/tenant-a", true)]
    [InlineData("https://ehr.example.org/fhirx", false)]
    [InlineData("https://ehr.example.org/other", false)]
    [InlineData("https://ehr.example.org:8443/fhir", false)]
    [InlineData("https://evil.example.org/fhir", false)]
    [InlineData("https://ehr.example.org.evil.test/fhir", false)]
    public void Allow_list_compares_normalised_bases_and_path_prefixes(string fhirServer, bool allowed)
    {
        var server = Base(fhirServer);
        Assert.Equal(allowed, FhirBaseUrl.IsAllowed(server, [new Uri("https://ehr.example.org/fhir/")]));
    }

    [Theory]
    [InlineData("https://ehr.example.org/fhir/Condition?patient=1&page=2", true)]
    [InlineData("Condition?patient=1&page=2", true)]
    [InlineData("/fhir/Condition?page=2", true)]
    [InlineData("https://ehr.example.org/fhir/../admin/Condition", false)]
    [InlineData("https://ehr.example.org/fhir/%2e%2e/admin", false)]
    [InlineData("https://ehr.example.org/admin/Condition", false)]
    [InlineData("//evil.example.org/fhir/Condition", false)]
    [InlineData("https://evil.example.org/fhir/Condition?page=2", false)]
    [InlineData("http://ehr.example.org/fhir/Condition?page=2", false)]
    [InlineData("", false)]
    public void Next_links_must_stay_under_the_base(string link, bool followed)
        => Assert.Equal(followed, Base("https://ehr.example.org/fhir").TryResolve(link, out _));
}
