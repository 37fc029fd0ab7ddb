using System.Text.Json.Serialization;

namespace KetamineCds.Core.Cards;

public sealed record CdsLink
{
    [JsonPropertyName("label")]
    public required string Label { get; init; }

    [JsonPropertyName("url")]
    public required string Url { get; init; }

    [JsonPropertyName("type")]
    public required CdsLinkType Type { get; init; }

    /// <summary>Only with <see cref="CdsLinkType.Smart"/>.</summary>
    [JsonPropertyName("appContext")]
    public string? AppContext { get; init; }
}

public enum CdsLinkType
{
    [JsonStringEnumMemberName("absolute")]
    Absolute,

    [JsonStringEnumMemberName("smart")]
    Smart,
}
