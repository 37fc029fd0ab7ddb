namespace KetamineCds.Api.Configuration;

/// <summary>
/// The reverse proxies (TLS terminators, load balancers) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are
/// trusted (section <c>CdsHooks:ForwardedHeaders</c>). Empty: the headers are ignored and the TCP peer is the client.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxy hops are unwound (one per trusted proxy in the chain).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}
