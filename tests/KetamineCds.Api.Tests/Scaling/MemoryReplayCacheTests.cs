using KetamineCds.Api.Security;
using KetamineCds.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KetamineCds.Api.Tests.Scaling;

/// <summary>
/// The single-instance replay cache is bounded but never refuses a new token because it is full: expired tokens make
/// room first, then the least recently seen ones, with an error line at most once a minute.
/// </summary>
public sealed class MemoryReplayCacheTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly LogCapture _logs = new();
    private readonly ILoggerFactory _loggers;
    private readonly MemoryJtiReplayCache _cache;

    public MemoryReplayCacheTests()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _cache = new MemoryJtiReplayCache(_time, _loggers.CreateLogger<MemoryJtiReplayCache>());
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _loggers.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task A_jti_is_accepted_once_until_its_token_expires()
    {
        var until = _time.GetUtcNow().AddMinutes(6);

        var first = await _cache.TryRegisterAsync("iss", "a", until, Ct);
        var sameJtiOtherIssuer = await _cache.TryRegisterAsync("other-iss", "a", until, Ct);
        _time.Advance(TimeSpan.FromMinutes(5));
        var replay = await _cache.TryRegisterAsync("iss", "a", until, Ct);
        _time.Advance(TimeSpan.FromMinutes(2));
        var afterExpiry = await _cache.TryRegisterAsync("iss", "a", until.AddMinutes(6), Ct);

        Assert.Equal(ReplayCheck.FirstUse, first);
        Assert.Equal(ReplayCheck.FirstUse, sameJtiOtherIssuer);
        Assert.Equal(ReplayCheck.Replayed, replay);
        Assert.Equal(ReplayCheck.FirstUse, afterExpiry);
    }

    [Fact]
    public async Task When_full_of_expired_tokens_a_new_token_is_accepted_and_the_expired_ones_make_room()
    {
        await FillAsync(_time.GetUtcNow().AddMinutes(1));
        _time.Advance(TimeSpan.FromMinutes(2));

        var fresh = await _cache.TryRegisterAsync("iss", "fresh", _time.GetUtcNow().AddMinutes(6), Ct);
        var replay = await _cache.TryRegisterAsync("iss", "fresh", _time.GetUtcNow().AddMinutes(6), Ct);

        Assert.Equal(ReplayCheck.FirstUse, fresh);
        Assert.Equal(ReplayCheck.Replayed, replay);
        Assert.True(_cache.Count <= MemoryJtiReplayCache.MaxEntries, $"{_cache.Count} entries");
    }

    [Fact]
    public async Task When_full_of_live_tokens_new_tokens_are_still_accepted_and_remembered_and_it_is_logged_once()
    {
        await FillAsync(_time.GetUtcNow().AddMinutes(10));

        var results = new List<ReplayCheck>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await _cache.TryRegisterAsync("iss", $"new-{i}", _time.GetUtcNow().AddMinutes(6), Ct));
        }

        var replays = new List<ReplayCheck>();
        for (var i = 0; i < 3; i++)
        {
            replays.Add(await _cache.TryRegisterAsync("iss", $"new-{i}", _time.GetUtcNow().AddMinutes(6), Ct));
        }

        Assert.All(results, r => Assert.Equal(ReplayCheck.FirstUse, r));
        Assert.All(replays, r => Assert.Equal(ReplayCheck.Replayed, r));
        Assert.True(_cache.Count <= MemoryJtiReplayCache.MaxEntries, $"{_cache.Count} entries");
        Assert.Single(_logs.Entries, e => e.EventId.Id == 5010);
    }

    private async Task FillAsync(DateTimeOffset until)
    {
        for (var i = 0; i < MemoryJtiReplayCache.MaxEntries; i++)
        {
            Assert.Equal(ReplayCheck.FirstUse, await _cache.TryRegisterAsync("iss", "fill-" + i, until, Ct));
        }

        Assert.Equal(MemoryJtiReplayCache.MaxEntries, _cache.Count);
    }
}
