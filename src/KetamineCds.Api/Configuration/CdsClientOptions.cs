using System.ComponentModel.DataAnnotations;

namespace KetamineCds.Api.Configuration;

/// <summary>One trusted EHR (an entry of <c>CdsHooks:Clients</c>).</summary>
public sealed class CdsClientOptions
{
    /// <summary>Display name, for logs and statistics.</summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>The JWT <c>iss</c> this EHR uses.</summary>
    [Required]
    public string Issuer { get; set; } = "";

    /// <summary>Where the EHR publishes its JWK Set (https, except loopback). A <c>jku</c> header must equal it.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>Inline JWK Set (JSON text), for keys exchanged out of band.</summary>
    public string? Jwks { get; set; }

    /// <summary>When set, the JWT's <c>tenant</c> claim must equal it.</summary>
    public string? Tenant { get; set; }

    /// <summary>FHIR base URLs the service may call back for this EHR (https, except loopback).</summary>
    public List<string> AllowedFhirServers { get; set; } = [];

    /// <summary>Requests per <see cref="RateLimitWindow"/> for this EHR (default <c>CdsHooks:ClientRateLimitPermits</c>).</summary>
    public int? RateLimitPermits { get; set; }

    /// <summary>The window of <see cref="RateLimitPermits"/> (default <c>CdsHooks:ClientRateLimitWindow</c>).</summary>
    public TimeSpan? RateLimitWindow { get; set; }

    /// <summary>The TRD assessment app's SMART registration at this EHR (see docs: cds-hooks/README.md).</summary>
    public Smart.SmartClientOptions Smart { get; set; } = new();
}
