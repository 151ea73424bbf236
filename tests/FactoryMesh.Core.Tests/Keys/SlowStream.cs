namespace FactoryMesh.Core.Tests.Keys;

/// <summary>
/// A stream over memory that behaves like a slow network download or disk: reads complete later and hand out at
/// most a few bytes, writes complete later and copy the caller's buffer only then. A cipher that reused a buffer
/// before its write finished, or read ahead into the wrong one, would come out garbled.
/// </summary>
internal sealed class SlowStream(MemoryStream inner, int maxRead = int.MaxValue) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return inner.Read(buffer.Span[..Math.Min(buffer.Length, maxRead)]);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Delay(1, cancellationToken);
        inner.Write(buffer.Span);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Reads go through ReadAsync.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Writes go through WriteAsync.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
