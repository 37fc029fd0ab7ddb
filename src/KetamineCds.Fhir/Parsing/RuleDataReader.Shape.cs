using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace KetamineCds.Fhir.Parsing;

internal static partial class RuleDataReader
{
    /// <summary>Reads one JSON value (the reader is on its first token) into <paramref name="target"/>, leaving the reader on its last token.</summary>
    private delegate void ValueReader<in T>(T target, ref Utf8JsonReader reader);

    /// <summary>Reads one JSON value (the reader is on its first token), leaving the reader on its last token.</summary>
    private delegate T? ObjectReader<out T>(ref Utf8JsonReader reader);

    /// <summary>
    /// The properties of one FHIR object type that are read: JSON name, the element it fills (the choices of an [x]
    /// element share one), and how. Properties not listed are skipped unread.
    /// </summary>
    private sealed class Shape<T>
        where T : class
    {
        private readonly Func<T> _create;
        private readonly List<(string Name, string Element, ValueReader<T> Read)> _properties = [];
        private FrozenDictionary<string, (int Bit, ValueReader<T> Read)>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private bool _frozen;

        /// <param name="create">Makes the empty object (a lambda: <c>new T()</c> on a type parameter goes through Activator).</param>
        public Shape(Func<T> create)
        {
            _create = create;
            Reader = Read;
        }

        /// <summary><see cref="Read"/> as one delegate made once (a method group passed as an argument is a new delegate per call).</summary>
        public ObjectReader<T> Reader { get; }

        /// <summary>A property that is its own element.</summary>
        public Shape<T> Add(string name, ValueReader<T> read) => Choice(name, (name, read));

        /// <summary>The JSON names of one [x] element (e.g. onsetDateTime, onsetPeriod): at most one may be present.</summary>
        public Shape<T> Choice(string element, params (string Name, ValueReader<T> Read)[] choices)
        {
            foreach (var (name, read) in choices)
            {
                _properties.Add((name, element, read));
            }

            return this;
        }

        public Shape<T> Freeze()
        {
            var elements = _properties.Select(p => p.Element).Distinct(StringComparer.Ordinal).ToList();
            if (elements.Count > 64)
            {
                throw new InvalidOperationException($"{typeof(T).Name}: more than 64 elements read.");
            }

            _lookup = _properties
                .ToFrozenDictionary(p => p.Name, p => (elements.IndexOf(p.Element), p.Read), StringComparer.Ordinal)
                .GetAlternateLookup<ReadOnlySpan<char>>();
            _frozen = true;
            return this;
        }

        /// <summary>
        /// The object's listed properties into a new <typeparamref name="T"/>; null when the value is not an object. The
        /// value is consumed whatever it is: the reader ends on its last token.
        /// </summary>
        public T? Read(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return null;
            }

            System.Diagnostics.Debug.Assert(_frozen, "Shape used before Freeze()");
            var target = _create();
            ulong seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!_lookup.TryGetValue(Name(ref reader), out var entry))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                var bit = 1UL << entry.Bit;
                if ((seen & bit) != 0)
                {
                    throw new DuplicatePropertyException();
                }

                seen |= bit;
                reader.Read();
                entry.Read(target, ref reader);
            }

            return target;
        }
    }

    /// <summary>
    /// The property's name without allocating: FHIR names are ASCII, so the raw UTF-8 bytes are the characters. A name
    /// written with JSON escapes (or longer than any FHIR name) is decoded the slow way.
    /// </summary>
    private static ReadOnlySpan<char> Name(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        var buffer = _nameBuffer ??= new char[64];
        if (reader.ValueIsEscaped || raw.Length > buffer.Length)
        {
            return reader.GetString();
        }

        var length = Encoding.UTF8.GetChars(raw, buffer);
        return buffer.AsSpan(0, length);
    }

    [ThreadStatic]
    private static char[]? _nameBuffer;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1064:Exceptions should be public", Justification = "Control flow inside this reader only.")]
    private sealed class DuplicatePropertyException : Exception;
}
