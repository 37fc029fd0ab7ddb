namespace KetamineCds.Core.Engine;

/// <summary>Stable finding codes reported in <see cref="AssessmentSummary.Findings"/>.</summary>
public static class FindingCodes
{
    // Label contraindications (esketamine) [L1] [L2]
    public const string AneurysmalVascularDisease = "contraindication:aneurysmal-vascular-disease";
    public const string ArteriovenousMalformation = "contraindication:arteriovenous-malformation";
    public const string IntracerebralHemorrhage = "contraindication:intracerebral-hemorrhage";
    public const string KetamineHypersensitivity = "contraindication:ketamine-hypersensitivity";

    // Precautions [L2] [L3] [L4] [L6] [L10] [L16] [T4]
    public const string AgeUnder18 = "precaution:age-under-18";
    public const string Psychosis = "precaution:psychosis";
    public const string SubstanceUseDisorder = "precaution:substance-use-disorder";
    public const string Pregnancy = "precaution:pregnancy";
    public const string Hypertension = "precaution:hypertension";
    public const string RaisedIntracranialPressure = "precaution:raised-intracranial-pressure";
    public const string SevereCardiovascularDisease = "precaution:severe-cardiovascular-disease";
    public const string InterstitialCystitis = "precaution:interstitial-cystitis";
    public const string BipolarDisorder = "precaution:bipolar-disorder";

    // Precautions from the section 9 value sets [L6] [L18] (clinical-criteria.md section 9)
    public const string Hyperthyroidism = "precaution:hyperthyroidism";
    public const string Breastfeeding = "precaution:breastfeeding";

    // Blood pressure before dosing [L3]
    public const string BloodPressureElevated = "blood-pressure:elevated";
    public const string BloodPressureNotRecent = "blood-pressure:not-recent";

    // Indication
    public const string IndicationNotDocumented = "indication:not-documented";

    /// <summary>The text and sources of the data-unavailable card (a card, not a finding of the assessment).</summary>
    public const string DataUnavailable = "information:data-unavailable";

    /// <summary>Prefix of interaction findings; the suffix is the interaction class id, e.g. <c>interaction:benzodiazepines</c>.</summary>
    public const string InteractionPrefix = "interaction:";

    /// <summary>Interaction class ids (clinical-criteria.md section 3).</summary>
    public static class InteractionClasses
    {
        public const string Benzodiazepines = "benzodiazepines";
        public const string Opioids = "opioids";
        public const string ZDrugs = "z-drugs";
        public const string Gabapentinoids = "gabapentinoids";
        public const string OtherCnsDepressants = "other-cns-depressants";
        public const string Psychostimulants = "psychostimulants";
        public const string Maois = "maois";
        public const string Sympathomimetics = "sympathomimetics";
        public const string ThyroidHormones = "thyroid-hormones";
        public const string Theophyllines = "theophyllines";
        public const string Memantine = "memantine";
        public const string StrongCyp3a4Inhibitors = "strong-cyp3a4-inhibitors";
        public const string Cyp2b6Inhibitors = "cyp2b6-inhibitors";
        public const string CypInducers = "cyp-inducers";
        public const string Lamotrigine = "lamotrigine";
        public const string Naltrexone = "naltrexone";
    }
}
