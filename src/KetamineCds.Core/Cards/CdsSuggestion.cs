using System.Text.Json.Serialization;

namespace KetamineCds.Core.Cards;

public sealed record CdsSuggestion
{
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    [JsonPropertyName("uuid")]
    public required string Uuid { get; init; }

    [JsonPropertyName("isRecommended")]
    public bool? IsRecommended { get; init; }

    [JsonPropertyName("actions")]
    public IReadOnlyList<CdsAction>? Actions { get; init; }
}
