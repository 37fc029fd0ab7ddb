namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>The fixed evaluation instant of every scenario, and dates relative to it.</summary>
public static class ScenarioClock
{
    public static DateTimeOffset Now { get; } = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset DaysAgo(int days) => Now.AddDays(-days);

    public static DateTimeOffset MonthsAgo(int months) => Now.AddMonths(-months);

    public static DateTimeOffset YearsAgo(int years) => Now.AddYears(-years);
}
