namespace FactoryMesh.SiteAgent.Attestation;

/// <summary>The node could not produce evidence this time (the attestation client failed or timed out).</summary>
public sealed class EvidenceUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EvidenceUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EvidenceUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public EvidenceUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
