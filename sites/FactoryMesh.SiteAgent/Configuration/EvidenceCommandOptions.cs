namespace FactoryMesh.SiteAgent.Configuration;

/// <summary>
/// The external attestation client used on real hardware: section <c>FactoryMesh:Agent:Evidence</c>. It is run once
/// per challenge and must print an EAT token (compact JWT) on standard output. <c>{nonce}</c> and <c>{nodeId}</c> in
/// its arguments are replaced, and it also finds them in <c>FACTORYMESH_NONCE</c> and <c>FACTORYMESH_NODE_ID</c>.
/// </summary>
internal sealed class EvidenceCommandOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Agent:Evidence";

    /// <summary>The executable.</summary>
    public string? Command { get; set; }

    /// <summary>Its arguments, e.g. <c>["attest", "--nonce", "{nonce}"]</c>.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>How long it may take, seconds.</summary>
    public double TimeoutSeconds { get; set; } = 60;
}
