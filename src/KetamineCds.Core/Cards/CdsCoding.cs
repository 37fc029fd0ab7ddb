using System.Text.Json.Serialization;

namespace KetamineCds.Core.Cards;

/// <summary>The CDS Hooks Coding data type (system and code required; display required in overrideReasons).</summary>
public sealed record CdsCoding
{
    [JsonPropertyName("system")]
    public required string System { get; init; }

    [JsonPropertyName("code")]
    public required string Code { get; init; }

    [JsonPropertyName("display")]
    public string? Display { get; init; }
}
