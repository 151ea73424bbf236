namespace FactoryMesh.Core.Tests.Keys;

/// <summary>A source that yields zeros and then fails, as a disk or connection does partway through.</summary>
internal sealed class FailingStream(int failAfter) : Stream
{
    private int _served;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (_served >= failAfter)
        {
            throw new IOException("The disk went away.");
        }

        var count = Math.Min(buffer.Length, failAfter - _served);
        buffer.Span[..count].Clear();
        _served += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Reads go through ReadAsync.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
