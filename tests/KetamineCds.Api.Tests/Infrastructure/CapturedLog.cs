using Microsoft.Extensions.Logging;

namespace KetamineCds.Api.Tests.Infrastructure;

/// <summary>One captured log entry.</summary>
public sealed record CapturedLog(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception, IReadOnlyList<string> Scopes);
