namespace FactoryMesh.SiteAgent.Configuration;

/// <summary>What the agent is and whom it talks to: section <c>FactoryMesh:Agent</c>.</summary>
internal sealed class AgentOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Agent";

    /// <summary>
    /// The control plane's base address (<c>--server</c>), or several silos' addresses separated by commas: calls go to
    /// the first, and move on to the next when one cannot be reached (where no load balancer stands in front of them).
    /// </summary>
    public string ServerUrl { get; set; } = "http://localhost:5080";

    /// <summary>The addresses in <see cref="ServerUrl"/>, in order.</summary>
    public IReadOnlyList<string> ServerUrls => ServerUrl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The agent token itself (<c>--token</c>); prefer <see cref="TokenFile"/>, which stays out of process listings.</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the agent token (<c>--token-file</c>); re-read when it changes, so tokens can be rotated in place.</summary>
    public string? TokenFile { get; set; }

    /// <summary>The site file, <c>sites/*.json</c> (<c>--site</c>).</summary>
    public string? SiteFile { get; set; }

    /// <summary>The agent's own folder: simulated devices, the fault file (<c>--data</c>). Default <c>./agent-data</c>.</summary>
    public string DataDirectory { get; set; } = "./agent-data";

    /// <summary>
    /// Where the simulated vendor CA lives (<c>--vendor-dir</c>). Default: the data folder. Agents of several sites
    /// may share one vendor, as real sites share a GPU vendor.
    /// </summary>
    public string? VendorDirectory { get; set; }

    /// <summary>Simulate this many nodes (<c>--simulate N</c>); 0 runs on the real machine.</summary>
    public int Simulate { get; set; }

    /// <summary>
    /// What simulated nodes answer challenges with (<c>--simulate-format</c>): <c>sim-jws</c> (their simulated TEE's report,
    /// the default), or what simulated verifiers would return: <c>ear-jwt</c>, <c>ita-jwt</c>, <c>nvidia-eat</c> (NVIDIA's
    /// bundle for the GPUs with Intel's TDX token, as a composite).
    /// </summary>
    public string SimulateFormat { get; set; } = "sim-jws";

    /// <summary>The fault file the agent watches (<c>--faults</c>). Default <c>&lt;data&gt;/faults.json</c>.</summary>
    public string? FaultFile { get; set; }

    /// <summary>
    /// Where encrypted model artifacts are (<c>--artifacts</c>): <c>{tenant}/{model}.fma</c> beside
    /// <c>{tenant}/{model}.sha256</c>, the plaintext digest. Default <c>&lt;data&gt;/artifacts</c>.
    /// </summary>
    public string? ArtifactDirectory { get; set; }

    /// <summary>True when the agent simulates its fleet.</summary>
    public bool IsSimulated => Simulate > 0;

    /// <summary>The data folder as a full path.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);

    /// <summary>The vendor folder as a full path.</summary>
    public string VendorDirectoryFullPath => Path.GetFullPath(VendorDirectory ?? DataDirectory);

    /// <summary>The artifact folder as a full path.</summary>
    public string ArtifactDirectoryFullPath => Path.GetFullPath(ArtifactDirectory ?? Path.Combine(DataDirectory, "artifacts"));

    /// <summary>The fault file as a full path.</summary>
    public string FaultFileFullPath => Path.GetFullPath(FaultFile ?? Path.Combine(DataDirectory, "faults.json"));
}
