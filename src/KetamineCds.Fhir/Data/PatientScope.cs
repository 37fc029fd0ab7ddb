using Hl7.Fhir.Model;

namespace KetamineCds.Fhir.Data;

/// <summary>
/// Whether parsed resources belong to the hook's patient (<c>context.patientId</c>). A Patient must carry that id; a
/// clinical resource whose <c>subject</c> (AllergyIntolerance: <c>patient</c>) names any other resource is another
/// patient's data. A missing or unreadable subject is tolerated (the EHR answered a search for this patient). Resources without a
/// subject (Medication) are neutral. Matching is on the last two segments (<c>Patient/{id}</c>), so relative, absolute
/// and versioned (<c>.../_history/n</c>) references all count. Checking is a few string operations per resource.
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

    /// <summary>
    /// True when <paramref name="subject"/> is a readable literal reference (<c>[base/]Type/id[/_history/v]</c>, Type a
    /// known resource type) to anything but <c>Patient/{patientId}</c>. Unreadable references (<c>-1</c>, a date, a
    /// contained <c>#x</c>, a <c>urn:uuid</c>) are treated as absent, as every unreadable element is at this boundary.
    /// </summary>
    private static bool IsOther(ResourceReference? subject, string patientId)
    {
        var reference = subject?.Reference;
        if (string.IsNullOrEmpty(reference))
        {
            return false;
        }

        // Spans: this runs for every resource of every call, and the usual answer ("Patient/{id}") needs no string.
        var history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        var path = history >= 0 ? reference.AsSpan(0, history) : reference.AsSpan();
        var slash = path.LastIndexOf('/');
        if (slash <= 0 || slash == path.Length - 1)
        {
            return false;
        }

        var typeStart = path[..slash].LastIndexOf('/') + 1;
        var type = path[typeStart..slash];
        if (type.SequenceEqual("Patient"))
        {
            return !path[(slash + 1)..].SequenceEqual(patientId);
        }

        return ModelInfo.IsKnownResource(type.ToString());
    }
}
