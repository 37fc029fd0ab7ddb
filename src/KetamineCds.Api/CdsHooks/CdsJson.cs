using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace KetamineCds.Api.CdsHooks;

/// <summary>
/// JSON for the CDS Hooks wire: camelCase, optional members omitted (never null, "" or []), except the
/// always-present <c>cards</c> and <c>services</c>; embedded FHIR resources written by the Firely serializer.
/// </summary>
public static class CdsJson
{
    private static readonly HashSet<string> AlwaysWritten = new(StringComparer.Ordinal) { "cards", "services" };

    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new FhirResourceConverter());
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
            .WithAddedModifier(OmitEmptyOptionalMembers);
    }

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly();
        return options;
    }

    private static void OmitEmptyOptionalMembers(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (AlwaysWritten.Contains(property.Name))
            {
                continue;
            }

            if (property.PropertyType == typeof(string))
            {
                property.ShouldSerialize = static (_, value) => value is string s && s.Length > 0;
            }
            else if (typeof(IEnumerable).IsAssignableFrom(property.PropertyType))
            {
                property.ShouldSerialize = static (_, value) => value is IEnumerable e && e.GetEnumerator().MoveNext();
            }
        }
    }

    private sealed class FhirResourceConverter : JsonConverter<Resource>
    {
        public override bool CanConvert(Type typeToConvert) => typeof(Resource).IsAssignableFrom(typeToConvert);

        public override Resource Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => throw new NotSupportedException("FHIR resources are read with the Firely deserializer, not System.Text.Json.");

        public override void Write(Utf8JsonWriter writer, Resource value, JsonSerializerOptions options)
            => FhirJsonSerializer.Default.Serialize(value, writer);
    }
}
