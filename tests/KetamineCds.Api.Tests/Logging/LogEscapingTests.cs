using System.Text.Json.Nodes;
using KetamineCds.Api.Tests.EndToEnd;
using KetamineCds.Api.Tests.Endpoints;
using KetamineCds.Fhir.Diagnostics;

namespace KetamineCds.Api.Tests.Logging;

/// <summary>Caller-controlled text reaches the log bounded and with its control characters escaped.</summary>
public sealed class LogEscapingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("abc-123", "abc-123")]
    [InlineData("a\nfail: forged line", "a\\nfail: forged line")]
    [InlineData("a\r\n\tb", "a\\r\\n\\tb")]
    [InlineData("esc\u001b[31mred", "esc\\u001b[31mred")]
    [InlineData("line\u2028sep", "line\\u2028sep")]
    [InlineData("bidi\u202eevil", "bidi\\u202eevil")]
    [InlineData("back\\slash\n", "back\\\\slash\\n")]
    public void Control_characters_are_escaped(string raw, string logged)
        => Assert.Equal(logged, LogText.Escape(raw));

    [Fact]
    public void Long_text_is_cut_with_an_ellipsis_and_its_length()
    {
        var logged = LogText.Escape(new string('x', 4 * 1024 * 1024));

        Assert.Equal(new string('x', LogText.MaxLength) + "…(4194304 chars)", logged);
    }

    [Fact]
    public void Null_is_named()
        => Assert.Equal("(none)", LogText.Escape(null));

    [Fact]
    public async Task A_newline_in_hookInstance_cannot_forge_a_log_line()
    {
        await using var host = ClinicalHost.Start();
        var request = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!.AsObject();
        request["hookInstance"] = "d1577c69\ninfo: KetamineCds.Api[1001] forged";

        var (status, _) = await host.CallAsync(request, Ct);

        Assert.Equal(200, status);
        var line = Assert.Single(host.Factory.Logs.Entries, e => e.EventId.Id == 1001 && e.Category.StartsWith("KetamineCds", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', line.Message);
        Assert.Contains("d1577c69\\ninfo: KetamineCds.Api[1001] forged", line.Message, StringComparison.Ordinal);
        Assert.All(host.Factory.Logs.Entries, e => Assert.DoesNotContain("\ninfo: KetamineCds", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hookInstance_at_the_length_limit_is_logged_cut()
    {
        await using var host = ClinicalHost.Start();
        var request = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!.AsObject();
        request["hookInstance"] = new string('h', 128);

        var (status, _) = await host.CallAsync(request, Ct);

        Assert.Equal(200, status);
        Assert.Contains(host.Factory.Logs.Entries, e => e.EventId.Id == 1001 && e.Category.StartsWith("KetamineCds", StringComparison.Ordinal) && e.Message.Contains("…(128 chars)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_4_MB_hookInstance_is_refused_and_writes_a_short_line()
    {
        await using var host = ClinicalHost.Start();
        var request = JsonNode.Parse(RepoFiles.Read("cds-hooks", "examples", "patient-view-trd.request.json"))!.AsObject();
        request["hookInstance"] = new string('h', 4 * 1024 * 1024);

        var (status, _) = await host.CallAsync(request, Ct);

        Assert.Equal(400, status);
        Assert.Contains(host.Factory.Logs.Entries, e => e.EventId.Id == 1003 && e.Category.StartsWith("KetamineCds", StringComparison.Ordinal));
        Assert.True(host.Factory.Logs.AllText().Length < 64 * 1024, $"log text {host.Factory.Logs.AllText().Length} chars");
    }
}
