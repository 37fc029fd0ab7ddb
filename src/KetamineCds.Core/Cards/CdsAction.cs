using System.Text.Json.Serialization;
using Hl7.Fhir.Model;

namespace KetamineCds.Core.Cards;

/// <summary>A suggestion's action. <see cref="Resource"/> is written as FHIR JSON by the host.</summary>
public sealed record CdsAction
{
    [JsonPropertyName("type")]
    public required CdsActionType Type { get; init; }

    [JsonPropertyName("description")]
    public required string Description { get; init; }

    /// <summary>For <c>create</c>/<c>update</c>: the FHIR resource.</summary>
    [JsonPropertyName("resource")]
    public Resource? Resource { get; init; }

    /// <summary>For <c>delete</c>: a relative reference such as <c>MedicationRequest/123</c>.</summary>
    [JsonPropertyName("resourceId")]
    public string? ResourceId { get; init; }
}

public enum CdsActionType
{
    [JsonStringEnumMemberName("create")]
    Create,

    [JsonStringEnumMemberName("update")]
    Update,

    [JsonStringEnumMemberName("delete")]
    Delete,
}
