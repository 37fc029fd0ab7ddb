using System.Buffers.Binary;
using System.Text.Json;

namespace KetamineCds.Fhir.Parsing;

/// <summary>
/// JSON string values that repeat across resources and records, the code-system URIs of codings and the units of
/// quantities (a record of 30,000 resources carries ~94,000 <c>system</c> values, 16 distinct), read once per thread:
/// a value found in the thread's table is returned as the table's string, without transcoding or allocating. Only
/// terminology goes here, never patient data (identifiers, references, text). The table is direct-mapped (each value has
/// one slot, a later value in the same slot replaces it), so values that stop recurring, or junk, leave by themselves;
/// per thread, so it needs no lock and readers never see another thread's writes. Hand-written: a string pool (e.g.
/// CommunityToolkit's <c>StringPool</c>) transcodes the UTF-8 to UTF-16 before it looks up, and that is the cost this
/// avoids.
/// </summary>
internal static class RepeatedStrings
{
    /// <summary>Slots per thread (a power of two).</summary>
    internal const int Slots = 128;

    /// <summary>Longer values are read as usual (a code-system URI is rarely longer).</summary>
    internal const int MaxBytes = 200;

    [ThreadStatic]
    private static Entry?[]? t_slots;

    /// <summary>The string value the reader is on, as <see cref="Utf8JsonReader.GetString"/> reads it (which throws on invalid UTF-8).</summary>
    public static string Read(ref Utf8JsonReader json)
    {
        if (json.ValueIsEscaped || json.HasValueSequence || json.ValueSpan.Length > MaxBytes)
        {
            return json.GetString()!;
        }

        var raw = json.ValueSpan;
        var slots = t_slots ??= new Entry?[Slots];
        var slot = Slot(raw);
        if (slots[slot] is { } entry && raw.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }

        var value = json.GetString()!; // invalid UTF-8 throws here: such a value is never stored
        slots[slot] = new Entry(raw.ToArray(), value);
        return value;
    }

    /// <summary>The slot of a value: its length and its first and last 8 bytes (URIs of one publisher share a prefix, not an end).</summary>
    private static int Slot(ReadOnlySpan<byte> value)
    {
        ulong mixed;
        if (value.Length >= 8)
        {
            mixed = BinaryPrimitives.ReadUInt64LittleEndian(value) ^ (BinaryPrimitives.ReadUInt64LittleEndian(value[^8..]) * 31);
        }
        else
        {
            mixed = 0;
            foreach (var b in value)
            {
                mixed = (mixed << 8) | b;
            }
        }

        mixed = (mixed ^ (ulong)value.Length) * 0x9E3779B97F4A7C15UL;
        return (int)(mixed >> 57); // the top 7 bits: 0..127
    }

    private sealed record Entry(byte[] Utf8, string Value);
}
