namespace KetamineCds.Core.Tests.Support;

/// <summary>The fixed evaluation instant of the engine unit tests.</summary>
internal static class Clock
{
    public static DateTimeOffset Now { get; } = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset DaysAgo(int days) => Now.AddDays(-days);

    public static DateTimeOffset WeeksAgo(int weeks) => Now.AddDays(-7 * weeks);

    public static DateTimeOffset MonthsAgo(int months) => Now.AddMonths(-months);
}
