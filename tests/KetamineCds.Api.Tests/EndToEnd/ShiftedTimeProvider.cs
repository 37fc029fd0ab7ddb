namespace KetamineCds.Api.Tests.EndToEnd;

/// <summary>
/// A clock that reads a fixed instant at creation and then runs in real time (timers, timestamps and
/// delays stay real, so resilience timeouts still fire). Keeps clinical examples stable over the years.
/// </summary>
internal sealed class ShiftedTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly long _origin = System.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start + System.GetElapsedTime(_origin);
}
