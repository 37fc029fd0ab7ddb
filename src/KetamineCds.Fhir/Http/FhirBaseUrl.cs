using System.Diagnostics.CodeAnalysis;

namespace KetamineCds.Fhir.Http;

/// <summary>
/// A FHIR base URL in comparable form: lower-case scheme and host, explicit-default port dropped, path without its
/// trailing slash. Only https (or http on loopback), no user info, query or fragment.
/// </summary>
internal sealed class FhirBaseUrl
{
    private FhirBaseUrl(string origin, string path)
    {
        Origin = origin;
        Path = path;
        Root = new Uri(origin + path + "/", UriKind.Absolute);
    }

    /// <summary><c>scheme://host[:port]</c>, lower case.</summary>
    public string Origin { get; }

    /// <summary>Escaped path without trailing slash (empty for a server root).</summary>
    public string Path { get; }

    /// <summary>The base with a trailing slash, for resolving relative FHIR URLs.</summary>
    public Uri Root { get; }

    public static bool TryCreate(Uri? uri, [NotNullWhen(true)] out FhirBaseUrl? result)
    {
        result = null;
        if (uri is null || !IsSafeAbsolute(uri) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return false;
        }

        result = new FhirBaseUrl(OriginOf(uri), PathOf(uri).TrimEnd('/'));
        return true;
    }

    /// <summary>True when <paramref name="server"/> is one of <paramref name="allowed"/> or lies under one of them.</summary>
    public static bool IsAllowed(FhirBaseUrl server, IEnumerable<Uri> allowed)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(allowed);
        foreach (var candidate in allowed)
        {
            if (TryCreate(candidate, out var allowedBase) && allowedBase.Contains(server.Root))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="url"/> is this base or a URL below it (same origin, path segment prefix).</summary>
    public bool Contains(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!IsSafeAbsolute(url) || !string.Equals(OriginOf(url), Origin, StringComparison.Ordinal))
        {
            return false;
        }

        var path = PathOf(url);
        if (path.Contains("%2e", StringComparison.OrdinalIgnoreCase))
        {
            // Encoded dot segments could climb out of the base on servers that decode them.
            return false;
        }

        return path.Length == Path.Length
            ? string.Equals(path, Path, StringComparison.Ordinal)
            : path.StartsWith(Path + "/", StringComparison.Ordinal);
    }

    /// <summary>Resolves a FHIR URL (relative to this base, or absolute) and checks it stays under this base.</summary>
    public bool TryResolve(string relativeOrAbsolute, [NotNullWhen(true)] out Uri? url)
    {
        url = null;
        if (string.IsNullOrWhiteSpace(relativeOrAbsolute)
            || !Uri.TryCreate(Root, relativeOrAbsolute.Trim(), out var resolved)
            || !Contains(resolved))
        {
            return false;
        }

        url = resolved;
        return true;
    }

    public override string ToString() => Origin + Path;

    private static bool IsSafeAbsolute(Uri uri)
        => uri.IsAbsoluteUri
           && string.IsNullOrEmpty(uri.UserInfo)
           && SecureUrl.TryParse(uri.AbsoluteUri, out _, out _);

    private static string OriginOf(Uri uri)
        => uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped).ToLowerInvariant();

    private static string PathOf(Uri uri)
        => uri.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped);
}
