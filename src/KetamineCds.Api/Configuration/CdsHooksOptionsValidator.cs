using System.Text.Json;
using KetamineCds.Fhir;
using Microsoft.Extensions.Options;

namespace KetamineCds.Api.Configuration;

/// <summary>Start-up checks of <see cref="CdsHooksOptions"/> that data annotations cannot express. Messages name the key.</summary>
internal sealed class CdsHooksOptionsValidator : IValidateOptions<CdsHooksOptions>
{
    private static readonly HashSet<string> ForbiddenAlgorithms = new(StringComparer.OrdinalIgnoreCase)
    {
        "none", "HS256", "HS384", "HS512",
    };

    private static readonly HashSet<string> AsymmetricAlgorithms = new(StringComparer.Ordinal)
    {
        "ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
    };

    public ValidateOptionsResult Validate(string? name, CdsHooksOptions options)
    {
        var failures = new List<string>();
        const string s = CdsHooksOptions.SectionName;

        if (!SecureUrl.TryParse(options.PublicBaseUrl, out var baseUri, out var why))
        {
            failures.Add($"{s}:PublicBaseUrl {why}");
        }
        else if (baseUri.AbsolutePath.EndsWith('/') && baseUri.AbsolutePath.Length > 1)
        {
            failures.Add($"{s}:PublicBaseUrl must not end with '/'.");
        }

        if (options.AllowedAlgorithms.Count == 0)
        {
            failures.Add($"{s}:AllowedAlgorithms must list at least one algorithm.");
        }

        foreach (var alg in options.AllowedAlgorithms.Where(a => ForbiddenAlgorithms.Contains(a) || a.StartsWith("HS", StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add($"{s}:AllowedAlgorithms must not contain '{alg}' (no 'none', no HMAC).");
        }

        foreach (var alg in options.AllowedAlgorithms.Where(a => !AsymmetricAlgorithms.Contains(a) && !ForbiddenAlgorithms.Contains(a) && !a.StartsWith("HS", StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add($"{s}:AllowedAlgorithms entry '{alg}' is not a JWS signature algorithm (use ES256/384/512, RS256/384/512 or PS256/384/512).");
        }

        foreach (var origin in options.CorsAllowedOrigins)
        {
            if (origin == "*" || !Uri.TryCreate(origin, UriKind.Absolute, out _))
            {
                failures.Add($"{s}:CorsAllowedOrigins entry '{origin}' must be an absolute origin such as https://ehr.example.org ('*' is not allowed).");
            }
        }

        var issuers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var c = options.Clients[i];
            var key = $"{s}:Clients:{i}";
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                failures.Add($"{key}:Name is required.");
            }

            if (string.IsNullOrWhiteSpace(c.Issuer))
            {
                failures.Add($"{key}:Issuer is required.");
            }
            else if (!issuers.Add(c.Issuer))
            {
                failures.Add($"{key}:Issuer '{c.Issuer}' is configured twice.");
            }

            if (string.IsNullOrWhiteSpace(c.JwksUrl) && string.IsNullOrWhiteSpace(c.Jwks))
            {
                failures.Add($"{key} needs JwksUrl or Jwks.");
            }

            if (!string.IsNullOrWhiteSpace(c.JwksUrl) && !SecureUrl.TryParse(c.JwksUrl, out _, out var jwksWhy))
            {
                failures.Add($"{key}:JwksUrl {jwksWhy}");
            }

            if (!string.IsNullOrWhiteSpace(c.Jwks) && !IsJwks(c.Jwks))
            {
                failures.Add($"{key}:Jwks is not a JSON Web Key Set (an object with a 'keys' array).");
            }

            for (var j = 0; j < c.AllowedFhirServers.Count; j++)
            {
                if (!SecureUrl.TryParse(c.AllowedFhirServers[j], out _, out var fhirWhy))
                {
                    failures.Add($"{key}:AllowedFhirServers:{j} {fhirWhy}");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsJwks(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("keys", out var keys)
                && keys.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
