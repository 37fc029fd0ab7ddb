using System.Globalization;
using System.Text;

namespace KetamineCds.Fhir.Diagnostics;

/// <summary>
/// Caller-controlled text (hookInstance, ids, a fhirServer authority) as it may appear in a log line: at most
/// <see cref="MaxLength"/> characters (longer text is cut, with an ellipsis and its original length) and control
/// characters escaped, so a newline cannot forge a line and a 4 MB value cannot write megabytes. Log parameters take
/// this type (strings convert implicitly), so every call site is covered by the type, not by remembering to call it.
/// </summary>
public readonly struct LogText : IEquatable<LogText>
{
    public const int MaxLength = 96;

    public LogText(string? value) => Value = value;

    /// <summary>The raw value (never log this).</summary>
    public string? Value { get; }

    public static implicit operator LogText(string? value) => new(value);

    public static LogText FromString(string? value) => new(value);

    public static bool operator ==(LogText left, LogText right) => left.Equals(right);

    public static bool operator !=(LogText left, LogText right) => !left.Equals(right);

    /// <summary>The bounded, escaped form; <c>(none)</c> for null.</summary>
    public static string Escape(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        var cut = value.Length > MaxLength;
        var visible = cut ? value.AsSpan(0, MaxLength) : value.AsSpan();
        if (!cut && !NeedsEscaping(visible))
        {
            return value;
        }

        var text = new StringBuilder(MaxLength + 32);
        foreach (var c in visible)
        {
            switch (c)
            {
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\\': text.Append("\\\\"); break;
                default:
                    if (IsUnsafe(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        if (cut)
        {
            text.Append("…(").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" chars)");
        }

        return text.ToString();
    }

    public override string ToString() => Escape(Value);

    public bool Equals(LogText other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is LogText other && Equals(other);

    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    private static bool NeedsEscaping(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c == '\\' || IsUnsafe(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>C0/C1 controls, Unicode line and paragraph separators, bidi controls and lone surrogates.</summary>
    private static bool IsUnsafe(char c)
        => char.IsControl(c) || c is '\u2028' or '\u2029' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || char.IsSurrogate(c);
}
