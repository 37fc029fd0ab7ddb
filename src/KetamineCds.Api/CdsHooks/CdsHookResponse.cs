using System.Text.Json.Serialization;
using KetamineCds.Core.Cards;

namespace KetamineCds.Api.CdsHooks;

/// <summary>The service response: <c>cards</c> is always present (possibly empty).</summary>
public sealed record CdsHookResponse([property: JsonPropertyName("cards")] IReadOnlyList<CdsCard> Cards);
