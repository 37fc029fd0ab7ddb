namespace KetamineCds.Api.Hosting;

/// <summary>
/// Completes when the host has built its request pipeline, routes included (an <see cref="IStartupFilter"/> around the
/// application's configuration), before the server starts. The routing's endpoint data source must not be read before:
/// the host is still adding to it, and reading it concurrently fails ("collection was modified").
/// </summary>
internal sealed class RequestPipelineBuilt : IStartupFilter
{
    private readonly TaskCompletionSource _built = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _built.Task;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        _built.TrySetResult();
    };
}
