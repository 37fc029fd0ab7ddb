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

    /// <summary>
    /// A hook answer as one buffer with its Content-Length: Kestrel sends headers and body in one write, where a streamed
    /// (chunked) answer took a second write for the terminating chunk, and the EHR a second read (the answer is a few KB).
    /// </summary>
    public static IResult Answer(CdsHookResponse response) => new BufferedAnswer(JsonSerializer.SerializeToUtf8Bytes(response, Options));

    /// <summary>
    /// Written by hand because the framework's buffer result (<c>TypedResults.Bytes</c>) logs two lines per answer as a
    /// file download; this one is only the content type, the length and the bytes.
    /// </summary>
    private sealed class BufferedAnswer(byte[] utf8Json) : IResult
    {
        public System.Threading.Tasks.Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var response = httpContext.Response;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = utf8Json.Length;
            return response.Body.WriteAsync(utf8Json, httpContext.RequestAborted).AsTask();
        }
    }

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
