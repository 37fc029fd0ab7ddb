namespace KetamineCds.Api.Admin;

/// <summary>The <c>Admin</c> section: API keys of the admin endpoints (none configured = the endpoints answer 404).</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>Accepted values of the <c>X-Api-Key</c> header. Several, so keys can be rotated without downtime.</summary>
    public List<string> ApiKeys { get; set; } = [];
}
