namespace KetamineCds.Core.Knowledge;

/// <summary>Code system URIs and the short forms used in card text.</summary>
internal static class CodeSystems
{
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string RxNormOid = "urn:oid:2.16.840.1.113883.6.88";
    public const string Snomed = "http://snomed.info/sct";
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";
    public const string Loinc = "http://loinc.org";

    /// <summary>ICD-10-PCS (procedures), the FHIR R4 system URI for CMS ICD-10.</summary>
    public const string Icd10Pcs = "http://www.cms.gov/Medicare/Coding/ICD10";

    /// <summary>CPT (AMA).</summary>
    public const string Cpt = "http://www.ama-assn.org/go/cpt";

    public static bool IsRxNorm(string? system) => system is RxNorm or RxNormOid;

    /// <summary>Index key for a code: short system alias + "|" + normalised code, or null for systems the rules do not use.</summary>
    public static string? Key(string? system, string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var trimmed = code.Trim();
        return system switch
        {
            Snomed => "sct|" + trimmed,
            Icd10Cm or Icd10 => IcdKey(trimmed),
            Loinc => "loinc|" + trimmed.ToUpperInvariant(),
            Icd10Pcs => "pcs|" + trimmed.ToUpperInvariant(),
            Cpt => "cpt|" + trimmed,
            _ => null,
        };
    }

    /// <summary>"icd|" + the code without dots, upper case, in one allocation.</summary>
    private static string IcdKey(string code)
    {
        var length = 4;
        foreach (var c in code)
        {
            if (c != '.')
            {
                length++;
            }
        }

        return string.Create(length, code, static (span, source) =>
        {
            "icd|".AsSpan().CopyTo(span);
            var i = 4;
            foreach (var c in source)
            {
                if (c != '.')
                {
                    span[i++] = char.ToUpperInvariant(c);
                }
            }
        });
    }

    public static string NormalizeIcd(string code) => code.Replace(".", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>Human form for card text, e.g. <c>ICD-10-CM F33.2</c>, <c>SNOMED 1153570009</c>.</summary>
    public static string Describe(string? system, string? code) => system switch
    {
        Snomed => $"SNOMED {code}",
        Icd10Cm => $"ICD-10-CM {code}",
        Icd10 => $"ICD-10 {code}",
        Loinc => $"LOINC {code}",
        Icd10Pcs => $"ICD-10-PCS {code}",
        Cpt => $"CPT {code}",
        RxNorm or RxNormOid => $"RxNorm {code}",
        _ => $"{system}|{code}",
    };
}
