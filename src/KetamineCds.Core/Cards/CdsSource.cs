using System.Text.Json.Serialization;

namespace KetamineCds.Core.Cards;

/// <summary>Card source. <see cref="Topic"/> uses system <see cref="CardTopics.System"/>.</summary>
public sealed record CdsSource
{
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    [JsonPropertyName("url")]
    public string? Url { get; init; }

    [JsonPropertyName("icon")]
    public string? Icon { get; init; }

    [JsonPropertyName("topic")]
    public CdsCoding? Topic { get; init; }
}
