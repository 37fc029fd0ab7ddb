using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace KetamineCds.Api.Hosting;

/// <summary>
/// Identifies the warm-up's own requests over loopback (<see cref="LoopbackWarmup"/>) so that neither the per-address
/// rate limit nor the response counter (<c>ketamine_cds.http.responses</c>) counts them: otherwise the public discovery
/// calls it sends before ready use up permits of 127.0.0.1, the address a same-host reverse proxy or health checker
/// calls from. A random secret made at start-up and held only in this process, checked in fixed time and only from a
/// loopback peer; it grants nothing else.
/// </summary>
internal sealed class WarmupCaller
{
    /// <summary>The request header that carries the secret.</summary>
    public const string HeaderName = "X-KetamineCds-Warmup";

    private readonly byte[] _secret;

    public WarmupCaller()
    {
        HeaderValue = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        _secret = Encoding.ASCII.GetBytes(HeaderValue);
    }

    /// <summary>The header value the warm-up sends (64 hex digits).</summary>
    public string HeaderValue { get; }

    /// <summary>True for a request of this process's warm-up: the secret, from a loopback peer.</summary>
    public bool IsWarmupCall(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } peer || !IPAddress.IsLoopback(peer)
            || !context.Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || values[0] is not { Length: 64 } value)
        {
            return false;
        }

        Span<byte> sent = stackalloc byte[64];
        return Encoding.ASCII.GetBytes(value, sent) == 64 && CryptographicOperations.FixedTimeEquals(sent, _secret);
    }
}
