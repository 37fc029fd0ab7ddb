using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KetamineCds.Api.Scaling;

/// <summary>
/// The one StackExchange.Redis multiplexer of the process, connected on first use. The service starts even when Redis is
/// down (AbortOnConnectFail off, reconnects in the background) and commands fail at once while it is disconnected
/// (BacklogPolicy.FailFast), so that a replay check fails closed quickly instead of queueing requests.
/// </summary>
internal sealed class RedisConnection(IOptions<RedisOptions> options) : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer = new(() => ConnectionMultiplexer.Connect(CreateOptions(options.Value)));

    public bool Enabled => options.Value.Enabled;

    public string KeyPrefix => options.Value.KeyPrefix;

    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    public IDatabase Database => _multiplexer.Value.GetDatabase();

    /// <summary>The configured endpoints, for the start-up log (never the password).</summary>
    public string Endpoints => string.Join(",", CreateOptions(options.Value).EndPoints.Select(e => e.ToString()));

    internal static ConfigurationOptions CreateOptions(RedisOptions redis)
    {
        var configuration = ConfigurationOptions.Parse(redis.Configuration ?? "");
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "ketamine-cds";
        return configuration;
    }

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }
}
