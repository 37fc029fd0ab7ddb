namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>One shared host per test class (start-up is paid once).</summary>
public sealed class CdsHostFixture : IAsyncLifetime
{
    public CdsHost Host { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Host = CdsHost.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
