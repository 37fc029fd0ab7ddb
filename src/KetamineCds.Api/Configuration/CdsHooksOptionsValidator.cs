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

    private const int MaxHookCalls = 100_000;
    private const int MaxQueuedHookCalls = 1_000_000;

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

        if (options.MaxConcurrentHookCalls is < 1 or > MaxHookCalls)
        {
            failures.Add($"{s}:MaxConcurrentHookCalls must be between 1 and {MaxHookCalls} (or unset: {CdsHooksOptions.HookCallsPerCore} per CPU core).");
        }

        if (options.HookCallQueueLimit is < 0 or > MaxQueuedHookCalls)
        {
            failures.Add($"{s}:HookCallQueueLimit must be between 0 and {MaxQueuedHookCalls} (or unset: {CdsHooksOptions.QueuedHookCallsPerCall} times MaxConcurrentHookCalls).");
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

            if (!string.IsNullOrWhiteSpace(c.Jwks) && JwksProblem(c.Jwks) is { } jwksProblem)
            {
                failures.Add($"{key}:Jwks {jwksProblem}");
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

    /// <summary>JWK members that only private or symmetric keys carry (RFC 7518 section 6).</summary>
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "k"];

    /// <summary>
    /// Why an inline JWK Set is unusable, or null: not a set, a key with private or symmetric key material (the EHR's
    /// secret must never sit in our configuration), or no public EC/RSA signing key at all.
    /// </summary>
    internal static string? JwksProblem(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return "is not a JSON Web Key Set (an object with a 'keys' array).";
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array)
            {
                return "is not a JSON Web Key Set (an object with a 'keys' array).";
            }

            var usable = 0;
            var index = 0;
            foreach (var jwk in keys.EnumerateArray())
            {
                if (jwk.ValueKind != JsonValueKind.Object)
                {
                    return $"key {index} is not a JSON object.";
                }

                if (PrivateMembers.FirstOrDefault(m => jwk.TryGetProperty(m, out _)) is { } member)
                {
                    return $"key {index} contains private or symmetric key material ('{member}'): configure only the EHR's public key, and have the EHR replace the exposed key.";
                }

                var kty = jwk.TryGetProperty("kty", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
                var use = jwk.TryGetProperty("use", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : "sig";
                var publicKey = kty switch
                {
                    "EC" => jwk.TryGetProperty("crv", out _) && jwk.TryGetProperty("x", out _) && jwk.TryGetProperty("y", out _),
                    "RSA" => jwk.TryGetProperty("n", out _) && jwk.TryGetProperty("e", out _),
                    _ => false,
                };
                if (publicKey && use == "sig")
                {
                    usable++;
                }

                index++;
            }

            return usable == 0 ? "has no usable public signing key (an EC or RSA key with use 'sig' or no use)." : null;
        }
    }
}
