namespace FactoryMesh.Server.Hosting;

/// <summary>How often the appraisal policy file is looked at: <c>FactoryMesh:Attestation:PolicyReloadSeconds</c>.</summary>
public sealed class AppraisalPolicyReloadOptions
{
    /// <summary>The interval between looks; 2 s by default (reading a small file and hashing it costs nothing).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><see cref="Interval"/> in seconds (<c>FactoryMesh:Attestation:PolicyReloadSeconds</c>).</summary>
    public double PolicyReloadSeconds { get => Interval.TotalSeconds; set => Interval = TimeSpan.FromSeconds(value); }
}
