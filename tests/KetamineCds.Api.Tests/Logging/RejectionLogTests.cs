using System.Net;
using KetamineCds.Api.Tests.Infrastructure;
using KetamineCds.Api.Tests.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KetamineCds.Api.Tests.Logging;

/// <summary>Refused calls are logged as one warning per client and reason, then one count per minute (fake clock).</summary>
public sealed class RejectionLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_flood_of_401s_writes_one_warning_then_one_count_per_minute()
    {
        await using var ehr = TestEhr.Start();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new CdsApiFactory(ehr.ClientConfiguration(), services => services.AddSingleton<TimeProvider>(time));
        using var client = factory.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            using var missing = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), null, "{}"), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        }

        using var garbage = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), "garbage", "{}"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);

        var warnings = Warnings(factory);
        Assert.Equal(2, warnings.Count); // one per reason, at once
        Assert.Contains(warnings, w => w.EventId.Id == 5009 && w.Message.StartsWith("401 for unidentified callers: MissingToken", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.EventId.Id == 5009 && w.Message.StartsWith("401 for unidentified callers: Malformed", StringComparison.Ordinal));

        time.Advance(TimeSpan.FromMinutes(1));

        var summary = Assert.Single(Warnings(factory), w => w.EventId.Id == 5013);
        Assert.Equal("401 for unidentified callers: MissingToken, 4 more in the last 00:01:00", summary.Message);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, Warnings(factory).Count); // a quiet minute writes nothing

        using var again = await client.SendAsync(CdsCalls.Post(CdsCalls.ServicePath(), null, "{}"), Ct);
        Assert.Equal(4, Warnings(factory).Count); // after a quiet minute, the next refusal is reported at once
    }

    private static List<CapturedLog> Warnings(CdsApiFactory factory)
        => [.. factory.Logs.Entries.Where(e => e.Level >= LogLevel.Warning && e.Category.EndsWith("RejectionLog", StringComparison.Ordinal))];
}
