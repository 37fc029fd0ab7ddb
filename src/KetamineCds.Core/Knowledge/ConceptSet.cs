namespace KetamineCds.Core.Knowledge;

/// <summary>A named set of condition or observation codes (e.g. <c>arteriovenous-malformation</c>).</summary>
internal sealed class ConceptSet
{
    public required string Id { get; init; }

    public required string Display { get; init; }

    /// <summary>The finding code reported when the set matches (see <c>FindingCodes</c>), if any.</summary>
    public string? FindingCode { get; init; }

    /// <summary>True when a past (resolved, inactive) condition still counts ("history of").</summary>
    public bool History { get; init; }

    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>The set's explicitly listed matching codes (not value-set members), keyed like <see cref="CodeSystems.Key"/>.</summary>
    public IReadOnlyDictionary<string, ListedCode> ListedCodes { get; init; } = new Dictionary<string, ListedCode>(StringComparer.Ordinal);

    /// <summary>Bit position in match masks (0..63).</summary>
    public required int Bit { get; init; }

    public ulong Mask => 1UL << Bit;

    public override string ToString() => Id;
}
