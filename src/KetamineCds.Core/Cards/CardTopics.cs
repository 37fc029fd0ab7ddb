namespace KetamineCds.Core.Cards;

/// <summary>The card topics (<c>source.topic</c>) the product emits. System and codes are part of the contract.</summary>
public static class CardTopics
{
    public const string System = "urn:ketamine-cds:card-topic";

    public const string TrdCandidate = "trd-candidate";
    public const string TrdPossible = "trd-possible";
    public const string Contraindication = "contraindication";
    public const string Precaution = "precaution";
    public const string DrugInteraction = "drug-interaction";
    public const string BloodPressure = "blood-pressure";
    public const string IndicationNotDocumented = "indication-not-documented";
    public const string DataUnavailable = "data-unavailable";
}
