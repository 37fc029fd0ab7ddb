namespace KetamineCds.Api.CdsHooks;

public sealed record HookRequestParseResult
{
    public HookRequest? Request { get; private init; }

    public IReadOnlyList<string> Errors { get; private init; } = [];

    public static HookRequestParseResult Ok(HookRequest request) => new() { Request = request };

    public static HookRequestParseResult Fail(string error) => new() { Errors = [error] };

    public static HookRequestParseResult Fail(IReadOnlyList<string> errors) => new() { Errors = errors };
}
