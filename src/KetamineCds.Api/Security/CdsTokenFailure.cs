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
    UnknownKid,
    InvalidToken,
    AudienceMismatch,
    MissingIssuedAt,
    IssuedInFuture,
    MissingExpiry,
    Expired,
    NotYetValid,
    LifetimeTooLong,
    MissingJti,
    JtiTooLong,
    ReplayedJti,
    TenantMismatch,

    /// <summary>The shared replay cache (Redis) could not answer: the token is refused (fail closed).</summary>
    ReplayCheckUnavailable,
}
