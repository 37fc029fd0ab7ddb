namespace KetamineCds.Api.Tests.Scaling;

/// <summary>
/// The real Redis server of the tests (KETAMINECDS_TEST_REDIS, a StackExchange.Redis configuration string such as
/// 127.0.0.1:56379; <c>.ci/services start</c> provides one). Each test gets its own key prefix, so tests never see
/// each other's keys.
/// </summary>
internal static class TestRedis
{
    public const string Variable = "KETAMINECDS_TEST_REDIS";

    /// <summary>A port in this suite's range where nothing listens: Redis is unreachable there.</summary>
    public const string Unreachable = "127.0.0.1:22998,connectTimeout=500";

    public static string Configuration =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: these tests need a real Redis server. Run `.ci/services start` (or start redis-server on loopback) and set {Variable}=127.0.0.1:<port>.");

    /// <summary>Settings sharing state through the test Redis under <paramref name="prefix"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(string prefix, string? configuration = null)
    {
        yield return new("Redis:Configuration", configuration ?? Configuration);
        yield return new("Redis:KeyPrefix", prefix);
    }

    public static string NewPrefix() => $"test-{Guid.NewGuid():N}:";
}
