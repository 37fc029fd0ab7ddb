using KetamineCds.Fhir.Parsing;

namespace KetamineCds.Fhir;

/// <summary>What the data layer needs from one hook call to assemble the patient's record.</summary>
public sealed record HookDataRequest
{
    /// <summary>Correlation id for logs.</summary>
    public required string HookInstance { get; init; }

    /// <summary>
    /// Prefetch token values, keyed without braces: <c>context.patientId</c>, <c>context.userId</c>,
    /// <c>context.encounterId</c>, <c>userPractitionerId</c>, <c>userPractitionerRoleId</c>, <c>userPatientId</c>, <c>userRelatedPersonId</c>.
    /// </summary>
    public required IReadOnlyDictionary<string, string> PrefetchTokens { get; init; }

    /// <summary>
    /// The request's <c>prefetch</c> member, read (<see cref="PrefetchValue"/>); null when the member is absent. A key that
    /// is absent means "fetch it yourself"; a value that is JSON null (<see cref="PrefetchValue.IsNull"/>) means "no data".
    /// </summary>
    public IReadOnlyDictionary<string, PrefetchValue>? Prefetch { get; init; }

    /// <summary>
    /// The hook's patient (<c>context.patientId</c>; by default its prefetch token). Prefetched or fetched resources of
    /// any other patient are not this patient's data: the key is treated as not prefetched, a response as unusable.
    /// </summary>
    public string? PatientId
    {
        get => _patientId ?? PrefetchTokens.GetValueOrDefault("context.patientId");
        init => _patientId = value;
    }

    private readonly string? _patientId;

    /// <summary>The request's <c>fhirServer</c>, if any.</summary>
    public Uri? FhirServer { get; init; }

    /// <summary>The bearer token from <c>fhirAuthorization.access_token</c>. Never logged. Without it the FHIR server is never called.</summary>
    public string? AccessToken { get; init; }

    /// <summary>FHIR base URLs the calling EHR is allowed to make us call. Anything else is refused.</summary>
    public IReadOnlyList<Uri> AllowedFhirServers { get; init; } = [];
}
