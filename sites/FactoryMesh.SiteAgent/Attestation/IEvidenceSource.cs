namespace FactoryMesh.SiteAgent.Attestation;

/// <summary>Produces a node's evidence answering one challenge: a simulated TEE, or an external attestation client.</summary>
internal interface IEvidenceSource
{
    /// <summary>The evidence format the control plane is told (<c>sim-jws</c>, <c>eat-jwt</c>).</summary>
    string Format { get; }

    /// <summary>Evidence for <paramref name="nodeId"/> answering <paramref name="nonce"/>; throws <see cref="EvidenceUnavailableException"/> when none can be made.</summary>
    Task<string> CreateAsync(string nodeId, string nonce, CancellationToken cancellationToken);
}
