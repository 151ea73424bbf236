namespace FactoryMesh.ServerHost;

/// <summary>
/// The ports a server process listens on: HTTP and silo-to-silo (it opens no Orleans gateway). Restarting a server on the same ports (and
/// data folder) is what a service manager does, and what clients such as site agents must survive.
/// </summary>
/// <param name="Http">The API, hub and dashboard port.</param>
/// <param name="Silo">The Orleans silo-to-silo port.</param>
public sealed record ServerPorts(int Http, int Silo)
{
    /// <summary>Two ports nobody listens on now.</summary>
    public static ServerPorts Free() => new(FreePort.Next(), FreePort.Next());
}
