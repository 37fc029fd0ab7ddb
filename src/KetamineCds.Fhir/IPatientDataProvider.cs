namespace KetamineCds.Fhir;

/// <summary>Resolves a hook call's patient data from prefetch, falling back to the EHR's FHIR server.</summary>
public interface IPatientDataProvider
{
    /// <summary>
    /// Never throws for EHR or data problems: what cannot be had is reported in <see cref="PatientDataResult.Unavailable"/>.
    /// Honours <paramref name="cancellationToken"/> (the caller hung up) and the configured total time budget
    /// (<see cref="FhirOptions.TotalTimeout"/>): when the budget is spent it returns normally with what it has.
    /// </summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled (also if it already was).</exception>
    Task<PatientDataResult> GetPatientDataAsync(HookDataRequest request, CancellationToken cancellationToken);
}
