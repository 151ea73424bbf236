using System.Net.Http.Json;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FactoryMesh.SiteAgent.Simulation;
using FactoryMesh.SiteAgent.Verbs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using FactoryMesh.ServerHost;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>
/// The real server as a process, set up the way the demo sets it up: it trusts a simulated vendor root created for
/// the occasion and the agent's reference values, with a short attestation lifetime (6 s) and heartbeat interval
/// (1 s) so that several freshness periods pass within a test. Agents run in-process, one host per site.
/// </summary>
public sealed class ControlPlaneFixture : IAsyncLifetime
{
    /// <summary>How long an attestation stays fresh here, seconds.</summary>
    public const int MaxAgeSeconds = 20; // the agent re-attests at half: 10 s of slack for a loaded 2-core machine (4.5 s and 6 s were seen to be too little)

    private readonly string _root = Directory.CreateTempSubdirectory("fm-agent-e2e-").FullName;
    private readonly List<IHost> _agents = [];
    private string[] _serverArguments = [];

    /// <summary>The server process (replaced by <see cref="KillAndRestartAsync"/>).</summary>
    public ServerProcess Server { get; private set; } = null!;

    private string VendorDirectory => Path.Combine(_root, "vendor");

    private string ServerData => Path.Combine(_root, "server");

    public async Task InitializeAsync()
    {
        VendorAuthorityStore.OpenOrCreate(VendorDirectory, TimeProvider.System).Dispose();
        var referenceValues = Path.Combine(_root, "reference-values.json");
        await File.WriteAllTextAsync(referenceValues, SimulatedMeasurements.AppraisalPolicyJson());
        _serverArguments =
        [
            $"--FactoryMesh:Attestation:SimulatedTee:RootCertificatePaths:0={VendorAuthorityStore.RootCertificatePath(VendorDirectory)}",
            $"--FactoryMesh:Attestation:ReferenceValuesPath={referenceValues}",
            $"--FactoryMesh:Attestation:MaxAgeSeconds={MaxAgeSeconds}",
            "--FactoryMesh:Heartbeat:IntervalSeconds=1",
            "--FactoryMesh:Placement:GraceSeconds=15",
            "--FactoryMesh:Placement:MinRemainingFreshnessSeconds=1", // trust lasts only 20 s here
        ];
        Server = await ServerProcess.StartAsync(ServerData, _serverArguments);
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.StopAsync();
            agent.Dispose();
        }

        await Server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The fault file of <paramref name="siteId"/>'s agent.</summary>
    public string FaultFile(string siteId) => Path.Combine(_root, "agents", siteId, "faults.json");

    /// <summary>As the operator: creates <paramref name="siteId"/> from its example file, issues its agent token, and starts its agent with <paramref name="nodes"/> simulated nodes (and <paramref name="extraArguments"/>).</summary>
    public async Task<IHost> StartSiteAsync(string siteId, int nodes, params string[] extraArguments)
    {
        var siteFile = Path.Combine(AppContext.BaseDirectory, "sites", $"{siteId}.json");
        using var op = Server.Client(Server.OperatorToken);
        using var site = new StringContent(RunVerb("site-request", "--site", siteFile), Encoding.UTF8, "application/json");
        (await op.PutAsync(new Uri($"/api/v1/sites/{siteId}", UriKind.Relative), site)).EnsureSuccessStatusCode();
        var issued = await (await op.PostAsJsonAsync(new Uri("/api/v1/tokens", UriKind.Relative), new { role = "agent", site = siteId })).Content.ReadFromJsonAsync<JsonElement>();

        var agent = SiteAgentHost.CreateBuilder(
        [
            "--server", Server.Address.ToString(), "--token", issued.GetProperty("token").GetString()!, "--site", siteFile,
            "--data", Path.Combine(_root, "agents", siteId), "--vendor-dir", VendorDirectory, "--simulate", nodes.ToString(CultureInfo.InvariantCulture),
            "--interval", "1", "--FactoryMesh:Agent:Attestation:MaximumRetrySeconds=2",
            "--Logging:LogLevel:Default=Warning",
            .. extraArguments,
        ]).Build();
        _agents.Add(agent);
        await agent.StartAsync();
        return agent;
    }

    /// <summary>The site's nodes as an operator sees them.</summary>
    public async Task<IReadOnlyList<JsonElement>> NodesAsync(string siteId)
    {
        using var op = Server.Client(Server.OperatorToken);
        var nodes = await op.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/sites/{siteId}/nodes", UriKind.Relative));
        return nodes.EnumerateArray().ToList();
    }

    /// <summary>The node's audit records since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> AuditAsync(string nodeId, DateTimeOffset since)
    {
        using var op = Server.Client(Server.OperatorToken);
        var query = $"/api/v1/audit?nodeId={Uri.EscapeDataString(nodeId)}&since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}&limit=500";
        var records = await op.GetFromJsonAsync<JsonElement>(new Uri(query, UriKind.Relative));
        return records.EnumerateArray().Select(r => r.GetProperty("entry")).ToList();
    }

    /// <summary>
    /// Kills the server (no clean shutdown), waits <paramref name="outage"/>, runs <paramref name="beforeRestart"/> if given,
    /// and starts it again on the same data folder and ports.
    /// </summary>
    public async Task KillAndRestartAsync(TimeSpan outage, Action? beforeRestart = null)
    {
        var ports = Server.Ports;
        await Server.DisposeAsync();
        await Task.Delay(outage);
        beforeRestart?.Invoke();
        Server = await ServerProcess.StartAsync(ServerData, ports, _serverArguments);
    }

    // The agent's one-shot commands, as the demo runs them.
    private static string RunVerb(string verb, params string[] args)
    {
        using var output = new StringWriter();
        Assert.Equal(0, AgentVerbs.Run(verb, args, output));
        return output.ToString();
    }
}
