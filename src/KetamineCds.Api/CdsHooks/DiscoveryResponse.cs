using System.Text.Json.Serialization;

namespace KetamineCds.Api.CdsHooks;

public sealed record DiscoveryResponse([property: JsonPropertyName("services")] IReadOnlyList<CdsServiceDefinition> Services);
