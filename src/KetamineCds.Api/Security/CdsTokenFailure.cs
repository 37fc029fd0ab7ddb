namespace KetamineCds.Api.Security;

/// <summary>Why an EHR token was refused. Only these names are logged, never anything the caller sent.</summary>
internal enum CdsTokenFailure
{
    None,
    MissingToken,
    TokenTooLarge,
    Malformed,
    AlgorithmNotAllowed,
    WrongType,
    MissingKid,
    UnknownIssuer,
    JkuNotAllowed,

    /// <summary>A <c>crit</c> header: it names extensions the token's reader must understand, and this service understands none (RFC 7515 4.1.11).</summary>
    CriticalHeaderNotSupported,
    UnknownKid,
    InvalidToken,
    AudienceMismatch,
    MissingIssuedAt,
    IssuedInFuture,
    MissingExpiry,
    Expired,
    NotYetValid,
    LifetimeTooLong,

    /// <summary><c>exp</c>, <c>iat</c> or <c>nbf</c> is not a JSON number (a NumericDate, RFC 7519 2).</summary>
    DateNotNumeric,
    MissingJti,
    JtiTooLong,
    ReplayedJti,
    TenantMismatch,

    /// <summary>The shared replay cache (Redis) could not answer: the token is refused (fail closed).</summary>
    ReplayCheckUnavailable,
}
