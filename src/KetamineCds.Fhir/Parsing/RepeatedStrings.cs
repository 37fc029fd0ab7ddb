using System.Text.Json;

namespace KetamineCds.Fhir.Parsing;

/// <summary>
/// A small, bounded, process-wide table of JSON string values that repeat across resources and records: the code-system
/// URIs of codings and the units of quantities (a record of 30,000 resources carries ~94,000 <c>system</c> values and 16
/// distinct ones). A value already in the table is read as the table's string, without transcoding or allocating. Only
/// terminology goes here, never patient data (identifiers, references, text). Hand-written: a string pool (e.g.
/// CommunityToolkit's <c>StringPool</c>) transcodes the UTF-8 to UTF-16 before it looks up, and that is the cost this
/// avoids.
/// </summary>
internal sealed class RepeatedStrings(int capacity, int maxBytes)
{
    private Entry[] _entries = [];

    /// <summary>Code-system URIs (<c>Coding.system</c>).</summary>
    public static RepeatedStrings Systems { get; } = new(capacity: 64, maxBytes: 200);

    /// <summary>Units and unit codes of quantities (<c>Quantity.unit</c>, <c>Quantity.code</c>).</summary>
    public static RepeatedStrings Units { get; } = new(capacity: 64, maxBytes: 40);

    /// <summary>How many values the table holds (at most its capacity: later new values are read as usual, not added).</summary>
    public int Count => Volatile.Read(ref _entries).Length;

    /// <summary>The string value the reader is on, from the table when it is there; as <see cref="Utf8JsonReader.GetString"/> otherwise.</summary>
    public string Read(ref Utf8JsonReader json)
    {
        if (json.ValueIsEscaped || json.HasValueSequence || json.ValueSpan.Length > maxBytes)
        {
            return json.GetString()!;
        }

        var raw = json.ValueSpan;
        var entries = Volatile.Read(ref _entries);
        foreach (var entry in entries)
        {
            if (entry.Utf8.Length == raw.Length && raw.SequenceEqual(entry.Utf8))
            {
                return entry.Value;
            }
        }

        var value = json.GetString()!; // throws on invalid UTF-8, as before: such a value is never added
        if (entries.Length < capacity)
        {
            Add(entries, new Entry(raw.ToArray(), value));
        }

        return value;
    }

    /// <summary>Copy-on-write: readers never lock; two threads adding at once may each add (at most a duplicate, bounded).</summary>
    private void Add(Entry[] seen, Entry entry)
    {
        while (seen.Length < capacity)
        {
            var replaced = Interlocked.CompareExchange(ref _entries, [.. seen, entry], seen);
            if (ReferenceEquals(replaced, seen))
            {
                return;
            }

            seen = replaced;
        }
    }

    private sealed record Entry(byte[] Utf8, string Value);
}
