using KetamineCds.Fhir.Tests.Support;
using WireMock.ResponseBuilders;

namespace KetamineCds.Fhir.Tests;

/// <summary>fhirAuthorization.access_token is sent as a per-request bearer token and never logged.</summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private Ehr _ehr = null!;

    public ValueTask InitializeAsync()
    {
        _ehr = Ehr.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _ehr.DisposeAsync();

    [Fact]
    public async Task Token_is_forwarded_on_every_request_with_fhir_json_accept()
    {
        _ehr.ServeAll();
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null));

        Assert.Empty(result.Unavailable);
        Assert.Equal(8, _ehr.Requests.Count);
        Assert.All(_ehr.Requests, r =>
        {
            Assert.Equal("Bearer " + TestPatient.AccessToken, Ehr.Authorization(r));
            Assert.Contains("application/fhir+json", r.RequestMessage.Headers!["Accept"].ToString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Without_a_token_the_fhir_server_is_never_called_and_missing_data_is_unavailable()
    {
        _ehr.ServeAll();
        await using var host = FhirTestHost.Create();

        var result = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null, accessToken: null));

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.Equal(0, result.FhirRequests);
        Assert.Empty(_ehr.Requests);
        Assert.Single(host.LogsWithEventId(2019));
    }

    [Fact]
    public async Task Tokens_of_different_hook_calls_do_not_leak_into_each_other()
    {
        _ehr.ServeAll();
        await using var host = FhirTestHost.Create();

        await Task.WhenAll(
            host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null, accessToken: "token-A")),
            host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null, accessToken: null)),
            host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch: null, accessToken: "token-B")));

        var headers = _ehr.Requests.Select(Ehr.Authorization).ToList();
        Assert.Equal(16, headers.Count);
        Assert.Equal(8, headers.Count(h => h == "Bearer token-A"));
        Assert.Equal(8, headers.Count(h => h == "Bearer token-B"));
    }

    [Fact]
    public async Task Token_and_patient_id_never_appear_in_logs_even_when_everything_fails()
    {
        _ehr.ServeEveryKey(() => Response.Create().WithStatusCode(500).WithBody("boom " + TestPatient.AccessToken));
        await using var host = FhirTestHost.Create();
        var prefetch = new Dictionary<string, System.Text.Json.JsonElement>();
        prefetch["conditions"] = TestPatient.Element($$"""
            {"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"https://elsewhere.test/fhir/Condition?access_token={{TestPatient.AccessToken}}"}],"entry":[]}
            """);

        var result = await host.GetAsync(TestPatient.Request(_ehr.BaseUrl, prefetch));

        Assert.Equal(TestPatient.AllKinds, result.Unavailable);
        Assert.NotEmpty(_ehr.RequestsTo("/fhir/Patient/" + TestPatient.Id));
        var logs = host.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.All(logs, record =>
        {
            var text = record.Message + " " + string.Join(' ', record.StructuredState?.Select(kv => kv.Value) ?? []) + " " + record.Exception;
            Assert.DoesNotContain(TestPatient.AccessToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TestPatient.Id, text, StringComparison.Ordinal);
        });
    }
}
