namespace KetamineCds.Api.Smart;

/// <summary>
/// The TRD assessment app's registration at one EHR's authorization server (<c>CdsHooks:Clients:N:Smart</c>).
/// The app is enabled for an EHR when <see cref="ClientId"/> is set.
/// </summary>
public sealed class SmartClientOptions
{
    /// <summary>The OAuth client id the EHR issued for the app. Empty: the app is not offered to this EHR.</summary>
    public string? ClientId { get; set; }

    /// <summary>Optional client secret (confidential client, sent as client_secret_basic). Never logged.</summary>
    public string? ClientSecret { get; set; }
}
