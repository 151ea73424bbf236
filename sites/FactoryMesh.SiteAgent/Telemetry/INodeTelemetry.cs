namespace FactoryMesh.SiteAgent.Telemetry;

/// <summary>Where a node's heartbeat measurements come from: nvidia-smi, or a simulated load.</summary>
internal interface INodeTelemetry
{
    /// <summary>The node's measurements at <paramref name="now"/>, or null when none can be taken this time.</summary>
    Task<TelemetrySample?> SampleAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
