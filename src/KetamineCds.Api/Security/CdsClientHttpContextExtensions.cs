using KetamineCds.Api.Configuration;

namespace KetamineCds.Api.Security;

/// <summary>The trusted EHR that made the current call, once its JWT has been validated.</summary>
public static class CdsClientHttpContextExtensions
{
    private static readonly object Key = new();

    /// <summary>The authenticated calling client, or null (authentication disabled, or anonymous discovery).</summary>
    public static CdsClientOptions? GetCdsClient(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(Key, out var value) ? value as CdsClientOptions : null;
    }

    public static void SetCdsClient(this HttpContext context, CdsClientOptions client)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[Key] = client;
    }
}
