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
        private Property[] _all = [];
        private Property[][] _byLength = [];
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

            if (_properties.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != _properties.Count)
            {
                throw new InvalidOperationException($"{typeof(T).Name}: a property is listed twice.");
            }

            _all = [.. _properties.Select(p => new Property(p.Name, Encoding.UTF8.GetBytes(p.Name), elements.IndexOf(p.Element), p.Read))];
            _byLength = new Property[_all.Max(p => p.Utf8.Length) + 1][];
            for (var length = 0; length < _byLength.Length; length++)
            {
                _byLength[length] = [.. _all.Where(p => p.Utf8.Length == length)];
            }

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
                if (Find(ref reader) is not { } entry)
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

        /// <summary>
        /// The listed property the reader's property name is, compared as UTF-8 bytes (no transcoding, no hashing: a
        /// shape's names of one length are one to three). A name written with JSON escapes is decoded the slow way.
        /// </summary>
        private Property? Find(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped)
            {
                var name = reader.GetString();
                return Array.Find(_all, p => p.Name == name);
            }

            var raw = reader.ValueSpan;
            if (raw.Length >= _byLength.Length)
            {
                return null;
            }

            foreach (var property in _byLength[raw.Length])
            {
                if (raw.SequenceEqual(property.Utf8))
                {
                    return property;
                }
            }

            return null;
        }

        private sealed record Property(string Name, byte[] Utf8, int Bit, ValueReader<T> Read);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1064:Exceptions should be public", Justification = "Control flow inside this reader only.")]
    private sealed class DuplicatePropertyException : Exception;
}
