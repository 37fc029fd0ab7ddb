using System.Text.Json;
using System.Text.Json.Nodes;

namespace KetamineCds.Api.Tests.EndToEnd;

internal static class CardJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The response with every <c>uuid</c> replaced by <c>&lt;uuid&gt;</c> (they are fresh on every call).</summary>
    public static JsonNode Normalize(string json)
    {
        var node = JsonNode.Parse(json)!;
        Walk(node);
        return node;
    }

    public static string Pretty(JsonNode node) => node.ToJsonString(Indented);

    public static IReadOnlyList<string> Topics(string json)
        => [.. JsonNode.Parse(json)!["cards"]!.AsArray().Select(c => (string)c!["source"]!["topic"]!["code"]!)];

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (key == "uuid" && o[key] is JsonValue)
                    {
                        o[key] = "<uuid>";
                    }
                    else
                    {
                        Walk(o[key]);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Walk(item);
                }

                break;
        }
    }
}
