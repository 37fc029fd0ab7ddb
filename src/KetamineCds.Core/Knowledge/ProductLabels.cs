namespace KetamineCds.Core.Knowledge;

/// <summary>Each product's label (a declared source with a URL): what a card links to when none of its cited sources has a URL.</summary>
internal sealed record ProductLabels(Citation Esketamine, Citation Ketamine)
{
    public Citation For(bool racemicKetamineOnly) => racemicKetamineOnly ? Ketamine : Esketamine;
}
