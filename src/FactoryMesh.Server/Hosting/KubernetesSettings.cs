namespace FactoryMesh.Server.Hosting;

/// <summary>Section <c>FactoryMesh:Kubernetes</c>: whether the silo runs under Orleans' Kubernetes hosting.</summary>
public sealed class KubernetesSettings
{
    /// <summary>Use Orleans' Kubernetes hosting (<c>Enabled</c>). Default false.</summary>
    public bool Enabled { get; set; }
}
