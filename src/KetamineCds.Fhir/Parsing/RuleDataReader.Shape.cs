using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace KetamineCds.Fhir.Parsing;

internal static partial class RuleDataReader
{
    /// <summary>
    /// The properties of one FHIR object type that are read: JSON name, the element it fills (the choices of an [x]
    /// element share one), and how. Properties not listed are skipped unread.
    /// </summary>
    private sealed class Shape<T>
        where T : class
    {
        private readonly Func<T> _create;
        private readonly List<(string Name, string Element, Action<T, JsonElement> Read)> _properties = [];
        private FrozenDictionary<string, (int Bit, Action<T, JsonElement> Read)>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private bool _frozen;

        /// <param name="create">Makes the empty object (a lambda: <c>new T()</c> on a type parameter goes through Activator).</param>
        public Shape(Func<T> create)
        {
            _create = create;
            Reader = Read;
        }

        /// <summary><see cref="Read"/> as one delegate made once (a method group passed as an argument is a new delegate per call).</summary>
        public Func<JsonElement, T?> Reader { get; }

        /// <summary>A property that is its own element.</summary>
        public Shape<T> Add(string name, Action<T, JsonElement> read) => Choice(name, (name, read));

        /// <summary>The JSON names of one [x] element (e.g. onsetDateTime, onsetPeriod): at most one may be present.</summary>
        public Shape<T> Choice(string element, params (string Name, Action<T, JsonElement> Read)[] choices)
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

        /// <summary>The object's listed properties into a new <typeparamref name="T"/>; null when the JSON is not an object.</summary>
        public T? Read(JsonElement json)
        {
            if (json.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            System.Diagnostics.Debug.Assert(_frozen, "Shape used before Freeze()");
            var target = _create();
            ulong seen = 0;
            foreach (var property in json.EnumerateObject())
            {
                if (!_lookup.TryGetValue(Name(property), out var entry))
                {
                    continue;
                }

                var bit = 1UL << entry.Bit;
                if ((seen & bit) != 0)
                {
                    throw new DuplicatePropertyException();
                }

                seen |= bit;
                entry.Read(target, property.Value);
            }

            return target;
        }
    }

    /// <summary>
    /// The property's name without allocating: FHIR names are ASCII, so the raw UTF-8 bytes are the characters. A name
    /// written with JSON escapes (or longer than any FHIR name) is decoded the slow way.
    /// </summary>
    private static ReadOnlySpan<char> Name(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        var buffer = _nameBuffer ??= new char[64];
        if (raw.Length > buffer.Length || raw.Contains((byte)'\\'))
        {
            return property.Name;
        }

        var length = Encoding.UTF8.GetChars(raw, buffer);
        return buffer.AsSpan(0, length);
    }

    [ThreadStatic]
    private static char[]? _nameBuffer;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1064:Exceptions should be public", Justification = "Control flow inside this reader only.")]
    private sealed class DuplicatePropertyException : Exception;
}
