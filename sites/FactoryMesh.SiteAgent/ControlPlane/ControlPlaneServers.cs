using FactoryMesh.SiteAgent.Configuration;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>The silos in <c>--server</c> and which of them the agent uses now: one per agent, shared by every call.</summary>
internal sealed class ControlPlaneServers(IOptions<AgentOptions> options)
{
    private readonly Uri[] _servers = options.Value.ServerUrls.Select(url => new Uri(url)).ToArray();
    private int _current;

    /// <summary>How many silos are listed.</summary>
    public int Count => _servers.Length;

    /// <summary>The position of the silo in use, to hand back to <see cref="MoveOnFrom"/>.</summary>
    public int CurrentIndex => Volatile.Read(ref _current);

    /// <summary>The silo at <paramref name="index"/> (wrapping around the list).</summary>
    public Uri At(int index) => _servers[index % _servers.Length];

    /// <summary>Makes the silo after <paramref name="index"/> the one in use, unless another call already moved on.</summary>
    public void MoveOnFrom(int index) => Interlocked.CompareExchange(ref _current, index + 1, index);
}
