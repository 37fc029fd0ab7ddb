using Hl7.Fhir.Model;

namespace KetamineCds.Fhir.Data;

/// <summary>
/// Whether parsed resources belong to the hook's patient (<c>context.patientId</c>). A Patient must carry that id; a
/// clinical resource whose <c>subject</c> (AllergyIntolerance: <c>patient</c>) names any other resource is another
/// patient's data. A missing subject is tolerated (the EHR answered a search for this patient). Resources without a
/// subject (Medication) are neutral. Matching is on the last two segments (<c>Patient/{id}</c>), so relative, absolute
/// and versioned (<c>.../_history/n</c>) references all count.
/// </summary>
internal static class PatientScope
{
    /// <summary>Resources (Bundle entries included) that belong to another patient.</summary>
    public static int CountForeign(IReadOnlyList<Resource> resources, string patientId)
    {
        var foreign = 0;
        foreach (var resource in resources)
        {
            if (resource is Bundle bundle)
            {
                foreach (var entry in bundle.Entry)
                {
                    foreign += IsForeign(entry.Resource, patientId) ? 1 : 0;
                }
            }
            else
            {
                foreign += IsForeign(resource, patientId) ? 1 : 0;
            }
        }

        return foreign;
    }

    private static bool IsForeign(Resource? resource, string patientId) => resource switch
    {
        Patient p => !string.Equals(p.Id, patientId, StringComparison.Ordinal),
        Condition c => IsOther(c.Subject, patientId),
        MedicationRequest r => IsOther(r.Subject, patientId),
        MedicationStatement s => IsOther(s.Subject, patientId),
        MedicationDispense d => IsOther(d.Subject, patientId),
        Observation o => IsOther(o.Subject, patientId),
        AllergyIntolerance a => IsOther(a.Patient, patientId),
        Procedure pr => IsOther(pr.Subject, patientId),
        _ => false,
    };

    private static bool IsOther(ResourceReference? subject, string patientId)
    {
        var reference = subject?.Reference;
        if (string.IsNullOrEmpty(reference))
        {
            return false;
        }

        return !IsPatient(reference, patientId);
    }

    /// <summary>True when <paramref name="reference"/> is <c>[base/]Patient/{patientId}[/_history/v]</c>.</summary>
    public static bool IsPatient(string reference, string patientId)
    {
        var text = reference.AsSpan();
        var history = text.IndexOf("/_history/", StringComparison.Ordinal);
        if (history >= 0)
        {
            text = text[..history];
        }

        var suffix = "Patient/" + patientId;
        if (!text.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        return text.Length == suffix.Length || text[text.Length - suffix.Length - 1] == '/';
    }
}
