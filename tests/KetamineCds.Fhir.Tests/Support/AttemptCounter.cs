namespace KetamineCds.Fhir.Tests.Support;

/// <summary>Registered after the resilience handler (so inside it): counts every HTTP attempt, retries included.</summary>
internal sealed class AttemptCounter : DelegatingHandler
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        return base.SendAsync(request, cancellationToken);
    }
}
