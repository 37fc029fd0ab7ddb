using KetamineCds.Api.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace KetamineCds.Api.Tests.Security;

/// <summary>
/// The host trusting two EHRs (ES384 without tenant, RS384 with tenant "tenant-a"), discovery protected too; plus an
/// untrusted EHR and a rogue JWKS server that must never be contacted.
/// </summary>
public sealed class SecuredApiFixture : IAsyncLifetime
{
    public const string Tenant = "tenant-a";

    public TestEhr EsEhr { get; } = TestEhr.Start("https://ehr-es.example.test", "ES384");

    public TestEhr RsEhr { get; } = TestEhr.Start("https://ehr-rs.example.test/", "RS384");

    public TestEhr Stranger { get; } = TestEhr.Start("https://stranger.example.test", "ES384");

    public WireMockServer Rogue { get; } = WireMockServer.Start();

    public CdsApiFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string RogueJwksUrl => Rogue.Url + TestEhr.JwksPath;

    public ValueTask InitializeAsync()
    {
        Rogue.Given(Request.Create().WithPath(TestEhr.JwksPath).UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Stranger.JwksJson));
        var settings = EsEhr.ClientConfiguration(0)
            .Concat(RsEhr.ClientConfiguration(1))
            .Append(new("CdsHooks:Clients:1:Tenant", Tenant))
            .Append(new("CdsHooks:AllowAnonymousDiscovery", "false"));
        Factory = new CdsApiFactory(settings);
        Client = Factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await EsEhr.DisposeAsync();
        await RsEhr.DisposeAsync();
        await Stranger.DisposeAsync();
        Rogue.Stop();
        Rogue.Dispose();
    }
}
