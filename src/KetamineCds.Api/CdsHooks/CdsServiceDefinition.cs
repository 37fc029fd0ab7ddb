using System.Text.Json.Serialization;
using KetamineCds.Core.Model;

namespace KetamineCds.Api.CdsHooks;

/// <summary>One entry of the discovery document.</summary>
public sealed record CdsServiceDefinition
{
    [JsonPropertyName("hook")]
    public required string Hook { get; init; }

    [JsonPropertyName("title")]
    public required string Title { get; init; }

    [JsonPropertyName("description")]
    public required string Description { get; init; }

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("prefetch")]
    public IReadOnlyDictionary<string, string>? Prefetch { get; init; }

    [JsonPropertyName("usageRequirements")]
    public string? UsageRequirements { get; init; }

    /// <summary>The hook as the engine knows it (not serialized).</summary>
    [JsonIgnore]
    public HookKind Kind { get; init; }
}
