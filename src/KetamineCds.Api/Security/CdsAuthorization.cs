namespace KetamineCds.Api.Security;

/// <summary>Authorization policy names used by the CDS endpoints.</summary>
public static class CdsAuthorization
{
    /// <summary>Service and feedback calls: a valid EHR JWT unless <c>CdsHooks:RequireAuthentication</c> is false.</summary>
    public const string ServicePolicy = "cds-service";

    /// <summary>Discovery: anonymous when <c>CdsHooks:AllowAnonymousDiscovery</c>, else like the service policy.</summary>
    public const string DiscoveryPolicy = "cds-discovery";
}
