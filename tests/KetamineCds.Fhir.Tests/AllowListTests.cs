using KetamineCds.Fhir.Tests.Support;

namespace KetamineCds.Fhir.Tests;

/// <summary>Only the calling client's AllowedFhirServers are ever called (SSRF guard); no request leaves otherwise.</summary>
public sealed class AllowListTests : IAsyncLifetime
{
    private Ehr _ehr = null!;
    private Ehr _other = null!;
    private FhirTestHost _host = null!;

    public ValueTask InitializeAsync()
    {
        _ehr = Ehr.Start();
        _other = Ehr.Start();
        _ehr.ServeAll();
        _other.ServeAll();
        _host = FhirTestHost.Create();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _ehr.DisposeAsync();
        await _other.DisposeAsync();
    }

    [Fact]
    public async Task Server_not_in_the_allow_list_is_never_called()
    {
        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null, allowed: [_other.BaseUrl]));

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.Equal(0, result.FhirRequests);
        Assert.Empty(_ehr.Requests);
        Assert.Empty(_other.Requests);
        var refusal = Assert.Single(_host.LogsWithEventId(2007));
        Assert.Contains("AllowedFhirServers", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_allow_list_refuses_every_server()
    {
        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null, allowed: []));

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.Empty(_ehr.Requests);
    }

    [Fact]
    public async Task Plain_http_to_a_non_loopback_host_is_refused_even_when_listed()
    {
        var insecure = new Uri("http://ehr.example.invalid/fhir");

        var result = await _host.GetAsync(TestPatient.Request(insecure, prefetch: null, allowed: [insecure]));

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.Equal(0, result.FhirRequests);
        Assert.Contains("https", Assert.Single(_host.LogsWithEventId(2007)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_list_entries_match_after_normalisation()
    {
        var listed = new Uri(_ehr.BaseUrl.AbsoluteUri.Replace("localhost", "LOCALHOST", StringComparison.Ordinal) + "/");

        var result = await _host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null, allowed: [listed]));

        Assert.Empty(result.Unavailable);
        Assert.Equal(8, _ehr.Requests.Count);
    }

    [Fact]
    public async Task Sibling_path_of_an_allowed_base_is_refused()
    {
        var sibling = new Uri(_ehr.Server.Url + "/fhirx");

        var result = await _host.GetAsync(TestPatient.Request(sibling, prefetch: null, allowed: [_ehr.BaseUrl]));

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.Empty(_ehr.Requests);
    }

    [Fact]
    public async Task Same_host_on_another_port_is_refused()
    {
        var result = await _host.GetAsync(TestPatient.Request(_other.BaseUrl, prefetch: null, allowed: [_ehr.BaseUrl]));

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.Empty(_other.Requests);
    }

    [Fact]
    public async Task Fhir_server_with_user_info_is_refused()
    {
        var withUser = new UriBuilder(_ehr.BaseUrl) { UserName = "admin", Password = "pw" }.Uri;

        var result = await _host.GetAsync(TestPatient.Request(withUser, prefetch: null, allowed: [_ehr.BaseUrl]));

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.Empty(_ehr.Requests);
    }
}
