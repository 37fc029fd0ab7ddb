namespace KetamineCds.Core.Knowledge;

/// <summary>What a finding is, as the knowledge base's data says (<c>kind</c>): it decides which card carries it.</summary>
internal enum FindingKind
{
    /// <summary>A contraindication: one critical card each, with override reasons.</summary>
    Contraindication,

    /// <summary>A precaution: listed on the one precaution card.</summary>
    Precaution,

    /// <summary>Anything else with its own card (blood pressure, indication, TRD).</summary>
    Information,
}
