using Hl7.Fhir.Model;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>How a medication is identified in a hand-built resource.</summary>
public enum MedForm
{
    /// <summary>medicationCodeableConcept.</summary>
    CodeableConcept,

    /// <summary>medicationReference "#id" to a contained Medication.</summary>
    Contained,

    /// <summary>medicationReference "Medication/id" to a Medication resource in the record.</summary>
    Referenced,
}

/// <summary>A drug as a record would carry it: an RxNorm coding (any TTY), and/or free text.</summary>
/// <param name="RxCode">RxNorm code (ingredient, SCD, SBD or a Synthea code), or null for text only.</param>
/// <param name="Display">The coding's display.</param>
/// <param name="Text">CodeableConcept.text.</param>
/// <param name="Form">Where the identity lives.</param>
public sealed record Med(string? RxCode, string? Display, string? Text, MedForm Form = MedForm.CodeableConcept)
{
    public static Med Rx(string code, string display) => new(code, display, null);

    public static Med TextOnly(string text) => new(null, null, text);

    public Med AsContained() => this with { Form = MedForm.Contained };

    public Med AsReferenced() => this with { Form = MedForm.Referenced };

    public CodeableConcept ToConcept()
    {
        var concept = new CodeableConcept { Text = Text };
        if (RxCode is not null)
        {
            concept.Coding.Add(new Coding(Sys.RxNorm, RxCode, Display));
        }

        return concept;
    }

    // Real RxNorm SCDs from VSAC "Antidepressant Medication" 2.16.840.1.113883.3.464.1003.196.12.1213 [C-V:196.12.1213]
    public static Med Sertraline25Tab { get; } = Rx("312940", "sertraline 25 MG Oral Tablet");
    public static Med Sertraline50Tab { get; } = Rx("312941", "sertraline 50 MG Oral Tablet");
    public static Med Sertraline100Tab { get; } = Rx("312938", "sertraline 100 MG Oral Tablet");
    public static Med Sertraline150Cap { get; } = Rx("410584", "sertraline 150 MG Oral Capsule");
    public static Med Escitalopram5Tab { get; } = Rx("351249", "escitalopram 5 MG Oral Tablet");
    public static Med Escitalopram20Tab { get; } = Rx("351250", "escitalopram 20 MG Oral Tablet");
    public static Med Citalopram20Tab { get; } = Rx("200371", "citalopram 20 MG Oral Tablet");
    public static Med Citalopram40Tab { get; } = Rx("309314", "citalopram 40 MG Oral Tablet");
    public static Med Fluoxetine10Tab { get; } = Rx("313990", "fluoxetine 10 MG Oral Tablet");
    public static Med Fluoxetine20Cap { get; } = Rx("310385", "fluoxetine 20 MG Oral Capsule");
    public static Med Venlafaxine75Tab { get; } = Rx("313586", "venlafaxine 75 MG Oral Tablet");
    public static Med VenlafaxineEr150Tab { get; } = Rx("808744", "24 HR venlafaxine 150 MG Extended Release Oral Tablet");
    public static Med Duloxetine60Cap { get; } = Rx("596934", "duloxetine 60 MG Delayed Release Oral Capsule");
    public static Med BupropionXl300Tab { get; } = Rx("993557", "24 HR bupropion hydrochloride 300 MG Extended Release Oral Tablet");
    public static Med Mirtazapine15Tab { get; } = Rx("311725", "mirtazapine 15 MG Oral Tablet");
    public static Med Mirtazapine30Odt { get; } = Rx("283407", "mirtazapine 30 MG Disintegrating Oral Tablet");

    // Synthea's own codes (shared/fixtures/synthea/README.md)
    public static Med SyntheaSertraline100 { get; } = new("328670", "Sertraline 100MG", "Sertraline 100MG");
    public static Med SyntheaFluoxetine25 { get; } = new("406022", "Fluoxetine 25MG", "Fluoxetine 25MG");

    // Ingredient codes (clinical-criteria.md 4.1)
    public static Med Ingredient(string code, string name) => Rx(code, name);

    public static Med Ketamine { get; } = Rx("6130", "ketamine");
    public static Med Esketamine { get; } = Rx("2119365", "esketamine");
    public static Med KetamineInjectionText { get; } = TextOnly("Ketamine HCl 50 mg/mL injection");
    public static Med SpravatoText { get; } = TextOnly("Spravato 56 mg dose kit");
}
