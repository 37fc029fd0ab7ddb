using KetamineCds.Api.Tests.Infrastructure;

namespace KetamineCds.Api.Tests.Scaling;

/// <summary>A bad proxy, per-EHR limit or Redis setting stops the start-up with a message naming the key.</summary>
public sealed class ScalingSettingsTests
{
    [Theory]
    [InlineData("CdsHooks:ForwardedHeaders:KnownProxies:0", "not-an-ip", "KnownProxies")]
    [InlineData("CdsHooks:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99", "KnownNetworks")]
    [InlineData("CdsHooks:Clients:0:RateLimitPermits", "0", "RateLimitPermits")]
    [InlineData("CdsHooks:Clients:0:RateLimitWindow", "00:00:00", "RateLimitWindow")]
    [InlineData("Redis:Configuration", "127.0.0.1:6379,connectTimeout=soon", "Redis:Configuration")]
    public async Task Bad_scaling_settings_stop_the_start_up(string key, string value, string named)
    {
        await using var ehr = TestEhr.Start();
        await using var factory = new CdsApiFactory(ehr.ClientConfiguration().Append(new(key, value)));

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }
}
