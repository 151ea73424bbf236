using System.Net;
using System.Net.Sockets;

namespace FactoryMesh.ServerHost;

/// <summary>Loopback TCP ports nobody is listening on, so servers under test never collide.</summary>
public static class FreePort
{
    /// <summary>A port the OS just handed out and released.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
