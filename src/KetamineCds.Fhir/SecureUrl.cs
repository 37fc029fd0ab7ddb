using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace KetamineCds.Fhir;

/// <summary>The one rule for every configured or received URL: absolute, https, except loopback hosts (local runs, tests).</summary>
public static class SecureUrl
{
    public static bool TryParse(string? value, [NotNullWhen(true)] out Uri? uri, out string reason)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var parsed))
        {
            reason = "must be an absolute URL.";
            return false;
        }

        if (parsed.Scheme != Uri.UriSchemeHttps && !(parsed.Scheme == Uri.UriSchemeHttp && IsLoopback(parsed)))
        {
            reason = "must use https (http is accepted for loopback hosts only).";
            return false;
        }

        uri = parsed;
        reason = "";
        return true;
    }

    public static bool IsLoopback(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.IsLoopback)
        {
            return true;
        }

        return IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip);
    }
}
