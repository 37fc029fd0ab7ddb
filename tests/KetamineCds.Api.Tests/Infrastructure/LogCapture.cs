using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace KetamineCds.Api.Tests.Infrastructure;

/// <summary>An <see cref="ILoggerProvider"/> that records every formatted message, its scopes and its exception.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    /// <summary>All messages, scopes and exceptions (ToString, so stack traces and inner messages too) as one text.</summary>
    public string AllText()
    {
        var text = new StringBuilder();
        foreach (var e in _entries)
        {
            text.Append(e.Level).Append(' ').Append(e.Category).Append(": ").AppendLine(e.Message);
            foreach (var scope in e.Scopes)
            {
                text.Append("  scope: ").AppendLine(scope);
            }

            if (e.Exception is not null)
            {
                text.AppendLine(e.Exception.ToString());
            }
        }

        return text.ToString();
    }

    public void Clear() => _entries.Clear();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            owner._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
            owner._entries.Enqueue(new CapturedLog(logLevel, category, eventId, formatter(state, exception), exception, scopes));
        }
    }
}
