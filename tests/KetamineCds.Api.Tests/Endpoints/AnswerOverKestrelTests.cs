using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Storage;
using KetamineCds.Storage;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>
/// Over real Kestrel (the built service as a child process): a hook answer is sent whole, with its Content-Length, not
/// streamed in chunks (one write for the service, one read for the EHR). The in-memory test server cannot tell the two
/// apart: its client computes a length either way.
/// </summary>
public sealed class AnswerOverKestrelTests
{
    [Fact]
    public async Task A_hook_answer_has_its_content_length_and_is_not_chunked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        await using var service = await ServiceProcess.StartAsync(21121, db, ct);
        var request = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!;

        using var response = await service.Client.PostAsync(
            "/cds-services/ketamine-trd-screening", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        using var answer = JsonDocument.Parse(body);
        Assert.NotEmpty(answer.RootElement.GetProperty("cards").EnumerateArray());
    }
}
