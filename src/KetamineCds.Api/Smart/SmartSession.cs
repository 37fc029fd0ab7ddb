namespace KetamineCds.Api.Smart;

/// <summary>One launched app session: the EHR's FHIR server, the patient, and the access token (server-side only).</summary>
public sealed record SmartSession(string ClientName, Uri Iss, string PatientId, string? FhirUser, string AccessToken, DateTimeOffset ExpiresAt);
