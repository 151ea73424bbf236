namespace FactoryMesh.Server.Live;

/// <summary>How the hub bridge paces what it sends, section <c>FactoryMesh:Live</c>.</summary>
public sealed class LiveUpdateOptions
{
    /// <summary>Utilization is sent to each group at most this often (<c>UtilizationIntervalMilliseconds</c>). Default 1000 ms.</summary>
    public TimeSpan UtilizationInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Event batches waiting to be sent; beyond it the oldest are dropped and counted (<c>BufferedBatches</c>). Default 10000.</summary>
    public int BufferedBatches { get; set; } = 10_000;

    /// <summary><see cref="UtilizationInterval"/> in milliseconds (<c>FactoryMesh:Live:UtilizationIntervalMilliseconds</c>).</summary>
    public double UtilizationIntervalMilliseconds { get => UtilizationInterval.TotalMilliseconds; set => UtilizationInterval = TimeSpan.FromMilliseconds(value); }
}
