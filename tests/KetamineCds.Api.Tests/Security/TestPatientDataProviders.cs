using KetamineCds.Fhir;

namespace KetamineCds.Api.Tests.Security;

/// <summary>Patient data providers that misbehave, to test what leaks out of the host when an endpoint fails.</summary>
internal static class TestPatientDataProviders
{
    public const string InternalDetail = "internal-detail-7f3a: connection string Server=db;Password=hunter2";

    /// <summary>Throws an exception whose message must never reach a response.</summary>
    public sealed class Throwing : IPatientDataProvider
    {
        public Task<PatientDataResult> GetPatientDataAsync(HookDataRequest request, CancellationToken cancellationToken)
            => throw new InvalidOperationException(InternalDetail);
    }

    /// <summary>Never answers (until cancelled): the request timeout must end the call.</summary>
    public sealed class Hanging : IPatientDataProvider
    {
        public async Task<PatientDataResult> GetPatientDataAsync(HookDataRequest request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
