namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>
/// The control plane could not be reached, or kept failing, after the HTTP pipeline's retries: a condition to wait
/// out (keep buffering, try again later), not a refusal of what was sent.
/// </summary>
public sealed class ControlPlaneUnreachableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ControlPlaneUnreachableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ControlPlaneUnreachableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ControlPlaneUnreachableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
