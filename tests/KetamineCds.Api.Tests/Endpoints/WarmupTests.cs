using System.Net;
using System.Reflection;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Api.Tests.Security;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>
/// Readiness means warm: /health/ready answers only after every documented example went through the pipeline and,
/// with authentication on, IdentityModel validated tokens of every allowed algorithm.
/// </summary>
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
        // Authentication is on by default, with ES384 and RS384 allowed: 40 validations each. The in-memory test server
        // has no listener to call (StartupProcessTests checks the loopback requests of the real process).
        Assert.Contains($"{examples} example requests, {examples * 40} evaluations, 80 token validations, 0 trusted key(s) prepared, 0 loopback requests, 0 failures", warmup.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.EventId.Id == 1602);
    }

    [Fact]
    public async Task Only_the_configured_algorithms_are_warmed_and_none_without_authentication()
    {
        await using var es384Only = new CdsApiFactory([new("CdsHooks:AllowedAlgorithms:0", "ES384")]);
        await using var authOff = new CdsApiFactory([
            new("CdsHooks:RequireAuthentication", "false"),
            new("CdsHooks:InsecureAllowUnauthenticatedCallsOutsideDevelopment", "true"),
        ]);

        foreach (var (factory, expected) in new[] { (es384Only, "40 token validations, 0 trusted key(s) prepared, 0 loopback requests, 0 failures"), (authOff, "0 token validations, 0 trusted key(s) prepared, 0 loopback requests, 0 failures") })
        {
            using var client = factory.CreateClient();
            using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var warmup = Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 1601);
            Assert.Contains(expected, warmup.Message, StringComparison.Ordinal);
        }
    }

    private static string FeedbackAudience => CdsApiFactory.ServiceAudience(CdsCalls.ServiceId) + "/feedback";

    [Fact]
    public async Task Inline_EHR_keys_are_prepared_before_ready_and_still_verify_the_EHR_and_nothing_else()
    {
        await using var ehr = TestEhr.Start();
        await using var stranger = TestEhr.Start(issuer: ehr.Issuer); // same issuer, another key: must still be refused
        await using var factory = new CdsApiFactory([
            new("CdsHooks:Clients:0:Name", "inline"),
            new("CdsHooks:Clients:0:Issuer", ehr.Issuer),
            new("CdsHooks:Clients:0:Jwks", ehr.JwksJson),
        ]);
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var warmup = Assert.Single(factory.Logs.Entries, e => e.EventId.Id == 1601);
        Assert.Contains("1 trusted key(s) prepared", warmup.Message, StringComparison.Ordinal);

        using var signed = await client.FeedbackAsync(ehr.CreateToken(FeedbackAudience));
        using var forged = await client.FeedbackAsync(stranger.CreateToken(FeedbackAudience));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }
}
