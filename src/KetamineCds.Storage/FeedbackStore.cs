using Dapper;

namespace KetamineCds.Storage;

/// <summary>Feedback, written durably (committed before the caller answers) and idempotently.</summary>
public sealed class FeedbackStore(StorageDatabase database, TimeProvider time)
{
    private const string InsertSql = """
        INSERT INTO feedback (service_id, card_uuid, outcome, outcome_at, received_at, accepted_suggestions,
                              override_system, override_code, override_display, user_comment, client_name)
        VALUES (@ServiceId, @CardUuid, @Outcome, @OutcomeAt, @ReceivedAt, @AcceptedSuggestions,
                @OverrideSystem, @OverrideCode, @OverrideDisplay, @UserComment, @ClientName)
        ON CONFLICT (service_id, card_uuid, outcome, outcome_at) DO NOTHING
        """;

    /// <summary>
    /// Stores the items in one transaction, committed before this returns; returns the items that were new (an item
    /// already stored, by service, card, outcome and outcome time, is kept as it was).
    /// </summary>
    public async Task<IReadOnlyList<FeedbackRecord>> AddAsync(IReadOnlyList<FeedbackRecord> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var receivedAt = StorageDatabase.ToUnixMs(time.GetUtcNow());
        var added = new List<FeedbackRecord>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var i in items)
        {
            var row = new
            {
                i.ServiceId,
                i.CardUuid,
                i.Outcome,
                OutcomeAt = StorageDatabase.ToUnixMs(i.OutcomeTimestamp),
                ReceivedAt = receivedAt,
                AcceptedSuggestions = i.AcceptedSuggestions.Count == 0 ? null : string.Join(' ', i.AcceptedSuggestions),
                i.OverrideSystem,
                i.OverrideCode,
                i.OverrideDisplay,
                i.UserComment,
                i.ClientName,
            };
            if (await connection.ExecuteAsync(new CommandDefinition(InsertSql, row, transaction, cancellationToken: cancellationToken)) > 0)
            {
                added.Add(i);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>All stored feedback for a card (oldest first).</summary>
    public async Task<IReadOnlyList<FeedbackRecord>> FindByCardAsync(string cardUuid, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FeedbackRow>(new CommandDefinition(
            """
            SELECT service_id AS ServiceId, card_uuid AS CardUuid, outcome AS Outcome, outcome_at AS OutcomeAt,
                   accepted_suggestions AS AcceptedSuggestions, override_system AS OverrideSystem, override_code AS OverrideCode,
                   override_display AS OverrideDisplay, user_comment AS UserComment, client_name AS ClientName
            FROM feedback WHERE card_uuid = @cardUuid ORDER BY id
            """,
            new { cardUuid },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    private sealed class FeedbackRow
    {
        public string ServiceId { get; set; } = "";

        public string CardUuid { get; set; } = "";

        public string Outcome { get; set; } = "";

        public long OutcomeAt { get; set; }

        public string? AcceptedSuggestions { get; set; }

        public string? OverrideSystem { get; set; }

        public string? OverrideCode { get; set; }

        public string? OverrideDisplay { get; set; }

        public string? UserComment { get; set; }

        public string? ClientName { get; set; }

        public FeedbackRecord ToRecord() => new()
        {
            ServiceId = ServiceId,
            CardUuid = CardUuid,
            Outcome = Outcome,
            OutcomeTimestamp = StorageDatabase.FromUnixMs(OutcomeAt),
            AcceptedSuggestions = AcceptedSuggestions?.Split(' ') ?? [],
            OverrideSystem = OverrideSystem,
            OverrideCode = OverrideCode,
            OverrideDisplay = OverrideDisplay,
            UserComment = UserComment,
            ClientName = ClientName,
        };
    }
}
