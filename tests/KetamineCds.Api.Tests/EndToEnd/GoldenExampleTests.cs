using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.Contract;
using KetamineCds.Api.Tests.Endpoints;

namespace KetamineCds.Api.Tests.EndToEnd;

/// <summary>
/// Replays every <c>cds-hooks/examples/*.request.json</c> against the running app and compares the answer with
/// its <c>*.response.json</c> (uuids aside). After an intended change, regenerate the files with
/// <c>KETAMINECDS_UPDATE_EXAMPLES=1 dotnet test</c> and review the diff.
/// </summary>
public sealed class GoldenExampleTests : IAsyncLifetime
{
    private ClinicalHost _host = null!;

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepoFiles.PathOf("cds-hooks", "examples"), "*.request.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    public ValueTask InitializeAsync()
    {
        _host = ClinicalHost.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_request_gives_its_documented_response(string requestFile)
    {
        var request = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", requestFile))!.AsObject();
        var responsePath = RepoFiles.PathOf("cds-hooks", "examples", requestFile.Replace(".request.json", ".response.json", StringComparison.Ordinal));

        var (status, body) = await _host.CallAsync(request, TestContext.Current.CancellationToken);

        Assert.True(status == 200, $"{requestFile}: status {status}: {body}");
        Assert.Empty(CdsResponseValidator.Validate(body));
        var actual = CardJson.Normalize(body);
        if (Environment.GetEnvironmentVariable("KETAMINECDS_UPDATE_EXAMPLES") == "1")
        {
            await File.WriteAllTextAsync(responsePath, CardJson.Pretty(actual) + "\n", TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(responsePath), $"{responsePath} is missing (run with KETAMINECDS_UPDATE_EXAMPLES=1 to create it).");
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(responsePath, TestContext.Current.CancellationToken));
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{requestFile}: the response differs from the documented one:\n{CardJson.Pretty(actual)}");
    }
}
