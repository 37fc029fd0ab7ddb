namespace KetamineCds.Api.CdsHooks;

/// <summary>CDS Hooks 2.0 prefetch tokens: root-level context fields plus the user tokens derived from <c>userId</c>.</summary>
public static class PrefetchTokens
{
    public static IReadOnlyDictionary<string, string> From(string patientId, string userId, string? encounterId)
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["context.patientId"] = patientId,
            ["context.userId"] = userId,
        };
        if (encounterId is not null)
        {
            tokens["context.encounterId"] = encounterId;
        }

        var slash = userId.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var type = userId[..slash];
            var id = userId[(slash + 1)..];
            var token = type switch
            {
                "Practitioner" => "userPractitionerId",
                "PractitionerRole" => "userPractitionerRoleId",
                "Patient" => "userPatientId",
                "RelatedPerson" => "userRelatedPersonId",
                _ => null,
            };
            if (token is not null)
            {
                tokens[token] = id;
            }
        }

        return tokens;
    }
}
