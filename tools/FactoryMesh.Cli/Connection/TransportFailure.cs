using System.Net.Sockets;

namespace FactoryMesh.Cli.Connection;

/// <summary>
/// Failures below HTTP (nothing listening, unknown host, TLS, no answer in time), phrased as one line that names
/// the server: <c>cannot reach http://localhost:5080: Connection refused</c>. Shared by the REST client and the hub.
/// </summary>
internal static class TransportFailure
{
    public static CliFailure Unreachable(Uri server, Exception exception) =>
        new(ExitCodes.Unreachable, $"cannot reach {Display(server)}: {RootCause(exception)}", exception);

    public static CliFailure NoAnswer(Uri server, TimeSpan waited, Exception exception) =>
        new(ExitCodes.Unreachable, $"{Display(server)} did not answer within {waited.TotalSeconds:0} s", exception);

    /// <summary>The server URL as the user would type it.</summary>
    public static string Display(Uri server) => server.AbsoluteUri.TrimEnd('/');

    // HttpRequestException says "Connection refused (localhost:5080)"; the socket error underneath says it plainly.
    private static string RootCause(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.Message;
            }
        }

        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost.Message;
    }
}
