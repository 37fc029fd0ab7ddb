namespace KetamineCds.Api.Security;

/// <summary>Endpoint metadata: the endpoint is called by an EHR (a hook call or its feedback), not by a browser or a probe.</summary>
internal sealed class EhrCallEndpoint
{
    public static readonly EhrCallEndpoint Instance = new();

    private EhrCallEndpoint()
    {
    }
}
