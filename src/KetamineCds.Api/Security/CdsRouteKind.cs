namespace KetamineCds.Api.Security;

internal enum CdsRouteKind
{
    Discovery,
    Service,
    Feedback,
}
