namespace KetamineCds.Api.Security;

/// <summary>
/// Remembers each (iss, jti) until the token it came from has expired (exp + clock skew), so that a token is accepted
/// once. In memory for one instance (<see cref="MemoryJtiReplayCache"/>); shared through Redis when
/// <c>Redis:Configuration</c> is set (<see cref="Scaling.RedisJtiReplayCache"/>), so that several instances and restarts
/// refuse a replay too.
/// </summary>
internal interface IJtiReplayCache
{
    /// <summary>
    /// <see cref="ReplayCheck.FirstUse"/> the first time (iss, jti) is seen before <paramref name="rememberUntil"/>,
    /// <see cref="ReplayCheck.Replayed"/> for a replay, <see cref="ReplayCheck.Unavailable"/> when the shared store
    /// cannot answer (the caller refuses the token: fail closed).
    /// </summary>
    ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset rememberUntil, CancellationToken cancellationToken);
}

/// <summary>The answer of <see cref="IJtiReplayCache.TryRegisterAsync"/>.</summary>
internal enum ReplayCheck
{
    FirstUse,
    Replayed,
    Unavailable,
}
