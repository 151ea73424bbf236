using System.Net;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>The control plane answered, and said no (a 4xx other than an appraisal verdict), with its problem details.</summary>
public sealed class ControlPlaneRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ControlPlaneRefusedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ControlPlaneRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ControlPlaneRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception for a refusal with <paramref name="status"/>, saying what was refused and why.</summary>
    public ControlPlaneRefusedException(HttpStatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    /// <summary>The HTTP status of the refusal.</summary>
    public HttpStatusCode Status { get; }
}
