using Hl7.Fhir.Model;
using KetamineCds.Core.Model;
using KetamineCds.Fhir.Tests.Support;
using WireMock.RequestBuilders;

namespace KetamineCds.Fhir.Tests;

/// <summary>Next links: followed with the bearer token, bounded by Fhir:MaxPages, kept on the allowed server.</summary>
public sealed class PagingTests : IAsyncLifetime
{
    private Ehr _ehr = null!;
    private Ehr _elsewhere = null!;

    public ValueTask InitializeAsync()
    {
        _ehr = Ehr.Start();
        _elsewhere = Ehr.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _ehr.DisposeAsync();
        await _elsewhere.DisposeAsync();
    }

    private static Bundle Page(Uri? next, params string[] conditionIds)
    {
        var bundle = TestPatient.Searchset(conditionIds.Select(TestPatient.Condition).ToArray<Resource>());
        if (next is not null)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = next.AbsoluteUri });
        }

        return bundle;
    }

    private Uri PageUrl(Ehr ehr, int page) => new($"{ehr.BaseUrl}/Condition?patient={TestPatient.Id}&_page={page}");

    private void ServePage(Ehr ehr, int page, Bundle body)
        => ehr.Server.Given(Request.Create().WithPath("/fhir/Condition").WithParam("_page", page.ToString()).UsingGet())
            .RespondWith(Ehr.Fhir(body));

    private static Dictionary<string, System.Text.Json.JsonElement> PrefetchWithConditions(Bundle conditions)
    {
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"] = TestPatient.Element(conditions);
        return prefetch;
    }

    [Fact]
    public async Task Prefetched_bundle_with_next_link_is_followed_with_the_bearer_token()
    {
        ServePage(_ehr, 2, Page(null, "c3"));
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, PrefetchWithConditions(Page(PageUrl(_ehr, 2), "c1", "c2"))));

        Assert.Empty(result.Unavailable);
        Assert.Equal(["c1", "c2", "c3"], result.Record.Conditions.Select(c => c.Id));
        Assert.Equal([PatientDataKind.Conditions], result.FetchedFromFhirServer);
        var request = Assert.Single(_ehr.Requests);
        Assert.Equal("/fhir/Condition", request.RequestMessage.Path);
        Assert.Equal("2", Ehr.Query(request, "_page"));
        Assert.Equal("Bearer " + TestPatient.AccessToken, Ehr.Authorization(request));
    }

    [Fact]
    public async Task Fallback_search_follows_every_page()
    {
        _ehr.Serve("conditions", Page(PageUrl(_ehr, 2), "c1"));
        ServePage(_ehr, 2, Page(PageUrl(_ehr, 3), "c2"));
        ServePage(_ehr, 3, Page(null, "c3"));
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, TestPatient.Prefetch("patient", "medicationRequests",
            "medicationStatements", "medicationDispenses", "observations", "allergies", "procedures")));

        Assert.Empty(result.Unavailable);
        Assert.Empty(result.Truncated);
        Assert.Equal(["c1", "c2", "c3"], result.Record.Conditions.Select(c => c.Id));
        Assert.Equal(3, result.FhirRequests);
        Assert.Equal(3, _ehr.RequestsTo("/fhir/Condition").Count);
    }

    [Fact]
    public async Task Page_limit_truncates_and_says_so_in_the_logs()
    {
        ServePage(_ehr, 2, Page(PageUrl(_ehr, 3), "c2"));
        ServePage(_ehr, 3, Page(null, "c3"));
        await using var host = FhirTestHost.Create(new Dictionary<string, string?> { ["Fhir:MaxPages"] = "2" });

        var result = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, PrefetchWithConditions(Page(PageUrl(_ehr, 2), "c1"))));

        Assert.Empty(result.Unavailable);
        Assert.Equal([PatientDataKind.Conditions], result.Truncated);
        Assert.Equal(["c1", "c2"], result.Record.Conditions.Select(c => c.Id));
        var request = Assert.Single(_ehr.Requests);
        Assert.Equal("2", Ehr.Query(request, "_page"));
        var truncation = Assert.Single(host.LogsWithEventId(2013));
        Assert.Contains("conditions", truncation.Message, StringComparison.Ordinal);
        Assert.Contains("MaxPages=2", truncation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_link_to_another_server_is_not_followed_and_the_kind_is_incomplete()
    {
        ServePage(_elsewhere, 2, Page(null, "stolen"));
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, PrefetchWithConditions(Page(PageUrl(_elsewhere, 2), "c1"))));

        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Equal(["c1"], result.Record.Conditions.Select(c => c.Id));
        Assert.Empty(_elsewhere.Requests);
        Assert.Empty(_ehr.Requests);
        Assert.Single(host.LogsWithEventId(2014));
    }

    [Fact]
    public async Task Next_link_on_the_same_host_but_outside_the_fhir_base_is_not_followed()
    {
        var outside = new Uri($"{_ehr.Server.Url}/admin/Condition?_page=2");
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, PrefetchWithConditions(Page(outside, "c1"))));

        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Empty(_ehr.Requests);
    }

    [Fact]
    public async Task Next_link_without_a_fhir_server_is_not_followed()
    {
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(TestPatient.Request(fhirServer: null, PrefetchWithConditions(Page(PageUrl(_ehr, 2), "c1"))));

        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Equal(["c1"], result.Record.Conditions.Select(c => c.Id));
        Assert.Empty(_ehr.Requests);
    }

    [Fact]
    public async Task Failing_next_page_keeps_the_first_page_and_reports_the_kind_unavailable()
    {
        _ehr.Server.Given(Request.Create().WithPath("/fhir/Condition").WithParam("_page", "2").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(500));
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, PrefetchWithConditions(Page(PageUrl(_ehr, 2), "c1"))));

        Assert.Equal([PatientDataKind.Conditions], result.Unavailable);
        Assert.Equal(["c1"], result.Record.Conditions.Select(c => c.Id));
        Assert.Equal(3, _ehr.RequestsTo("/fhir/Condition").Count); // first try + 2 retries
    }
}
