using System.Threading.Channels;

namespace KetamineCds.Storage;

/// <summary>
/// The bounded queue between hook calls and <see cref="AuditWriter"/>. <see cref="TryEnqueue"/> is O(1), never waits and
/// never throws: when the queue is full the record is dropped and counted (the writer logs the drops, aggregated).
/// </summary>
public sealed class AuditOutbox
{
    private readonly Channel<AuditRecord> _channel;
    private long _dropped;

    public AuditOutbox(int capacity)
    {
        _channel = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: a full queue refuses instead of waiting
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public int Count => _channel.Reader.Count;

    /// <summary>Records refused since start (queue full, or written after shutdown began).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal ChannelReader<AuditRecord> Reader => _channel.Reader;

    public bool TryEnqueue(AuditRecord record)
    {
        if (_channel.Writer.TryWrite(record))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>No more records: the writer drains what is queued and stops.</summary>
    internal void Complete() => _channel.Writer.TryComplete();
}
