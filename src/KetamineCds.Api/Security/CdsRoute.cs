namespace KetamineCds.Api.Security;

/// <summary>Which CDS endpoint a request path addresses, and the JWT audiences that endpoint accepts.</summary>
internal readonly record struct CdsRoute(CdsRouteKind Kind, string? ServiceId)
{
    private const string Root = "cds-services";

    /// <summary>The CDS endpoint of <paramref name="path"/> (relative to PathBase), or null for any other path.</summary>
    public static CdsRoute? Parse(PathString path)
    {
        var value = path.Value;
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var segments = value.Trim('/').Split('/');
        if (!string.Equals(segments[0], Root, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return segments.Length switch
        {
            1 => new CdsRoute(CdsRouteKind.Discovery, null),
            2 when segments[1].Length > 0 => new CdsRoute(CdsRouteKind.Service, segments[1]),
            3 when segments[1].Length > 0 && string.Equals(segments[2], "feedback", StringComparison.OrdinalIgnoreCase)
                => new CdsRoute(CdsRouteKind.Feedback, segments[1]),
            _ => null,
        };
    }

    /// <summary>
    /// CDS Hooks 2.0: <c>aud</c> is the URL of the endpoint called. Discovery: {base}/cds-services; a service:
    /// {base}/cds-services/{id}; feedback: its own URL or the service's.
    /// </summary>
    public IReadOnlyList<string> Audiences(string publicBaseUrl)
    {
        var root = $"{publicBaseUrl.TrimEnd('/')}/{Root}";
        return Kind switch
        {
            CdsRouteKind.Discovery => [root],
            CdsRouteKind.Service => [$"{root}/{ServiceId}"],
            _ => [$"{root}/{ServiceId}/feedback", $"{root}/{ServiceId}"],
        };
    }
}
