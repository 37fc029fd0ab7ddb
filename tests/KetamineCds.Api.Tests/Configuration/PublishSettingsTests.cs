using System.Diagnostics;
using System.Text.Json;
using KetamineCds.Api.Tests.Endpoints;

namespace KetamineCds.Api.Tests.Configuration;

/// <summary>
/// How the service is published (docs/deployment.md, docs/performance.md "Third round"): ReadyToRun whenever the publish
/// names a runtime, <c>--ucr</c> included (it sets UseCurrentRuntimeIdentifier, and the runtime identifier only after
/// the project file is read: every <c>--ucr</c> publish was IL only until this was checked), and server GC without
/// dynamic adaptation. Read from the project as MSBuild evaluates it, with the switches the publish commands pass.
/// </summary>
public sealed class PublishSettingsTests
{
    private static readonly string Project = RepoFiles.PathOf("src", "KetamineCds.Api", "KetamineCds.Api.csproj");

    [Theory]
    [InlineData("-p:UseCurrentRuntimeIdentifier=True", "true")] // what `dotnet publish --ucr` passes (Dockerfile, load driver)
    [InlineData("-p:RuntimeIdentifier=linux-x64", "true")] // `dotnet publish -r linux-x64` (docs/deployment.md)
    [InlineData(null, "")] // no runtime: portable IL
    public async Task ReadyToRunFollowsTheRuntime(string? publishSwitch, string expected)
    {
        var properties = await EvaluateAsync(publishSwitch, "PublishReadyToRun", "GarbageCollectionAdaptationMode");

        Assert.Equal(expected, properties["PublishReadyToRun"]);
        Assert.Equal("0", properties["GarbageCollectionAdaptationMode"]);
    }

    [Fact]
    public void TheContainerImageIsPublishedForARuntime()
    {
        var publish = RepoFiles.Read("Dockerfile").Split('\n').Single(line => line.Contains("dotnet publish", StringComparison.Ordinal));

        Assert.True(publish.Contains(" --ucr", StringComparison.Ordinal) || publish.Contains(" -r ", StringComparison.Ordinal), publish);
    }

    private static async Task<Dictionary<string, string>> EvaluateAsync(string? publishSwitch, params string[] names)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("msbuild");
        start.ArgumentList.Add(Project);
        start.ArgumentList.Add("-nologo");
        start.ArgumentList.Add("-p:Configuration=Release");
        foreach (var name in names)
        {
            start.ArgumentList.Add($"-getProperty:{name}");
        }

        if (publishSwitch is not null)
        {
            start.ArgumentList.Add(publishSwitch);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, await error + await output);

        using var json = JsonDocument.Parse(await output);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
