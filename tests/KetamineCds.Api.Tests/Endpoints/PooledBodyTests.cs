using System.Net;
using System.Text.Json.Nodes;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>
/// Request bodies are read into pooled buffers that return to the pool when the response has completed. A buffer
/// reused too early, or shared, would put one patient's data into another's answer: many large bodies at once, each
/// for its own patient, must each get the answer about that patient only.
/// </summary>
public sealed class PooledBodyTests(CdsHostFixture fixture) : IClassFixture<CdsHostFixture>
{
    private readonly CdsHost _host = fixture.Host;

    [Fact]
    public async Task Concurrent_large_requests_each_get_the_answer_about_their_own_patient()
    {
        var template = RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json");
        var ct = TestContext.Current.CancellationToken;

        // 24 patients, each body ~200 KB (a narrative in the Patient resource): larger than one pool block and than the
        // large-object threshold, in three rounds so that buffers are returned and reused in between.
        for (var round = 0; round < 3; round++)
        {
            var calls = Enumerable.Range(0, 8).Select(async i =>
            {
                var patientId = $"pooled-{round}-{i}";
                var body = JsonNode.Parse(template.Replace("example-trd-1", patientId, StringComparison.Ordinal))!.AsObject();
                body["hookInstance"] = Guid.NewGuid().ToString();
                body["prefetch"]!["patient"]!["text"] = new JsonObject
                {
                    ["status"] = "generated",
                    ["div"] = $"<div xmlns=\"http://www.w3.org/1999/xhtml\">{new string('x', 200_000)}</div>",
                };
                using var response = await _host.PostAsync(Requests.ScreeningPath, body.ToJsonString(), cancellationToken: ct);
                var answer = await response.Content.ReadAsStringAsync(ct);
                return (patientId, response.StatusCode, answer);
            });

            foreach (var (patientId, status, answer) in await Task.WhenAll(calls))
            {
                Assert.Equal(HttpStatusCode.OK, status);
                var referencedPatients = System.Text.RegularExpressions.Regex.Matches(answer, "Patient/([A-Za-z0-9.-]+)")
                    .Select(m => m.Groups[1].Value).Distinct().ToList();
                Assert.Equal([patientId], referencedPatients);
            }
        }
    }
}
