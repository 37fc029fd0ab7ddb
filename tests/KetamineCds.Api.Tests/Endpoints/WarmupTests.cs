using System.Net;
using System.Reflection;
using KetamineCds.Api.Tests.Infrastructure;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>Readiness means warm: /health/ready answers only after every documented example went through the pipeline.</summary>
public sealed class WarmupTests
{
    [Fact]
    public async Task Ready_answers_after_every_documented_example_was_evaluated_without_failure()
    {
        await using var factory = new CdsApiFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = typeof(WarmupTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
        var examples = Directory.GetFiles(Path.Combine(root, "cds-hooks", "examples"), "*.request.json").Length;
        Assert.True(examples >= 5, "the documented examples were not found");
        var warmup = Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 1601);
        Assert.Contains($"{examples} example requests, {examples * 40} evaluations, 0 failures", warmup.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.EventId.Id == 1602);
    }
}
