namespace FactoryMesh.SiteAgent.Configuration;

/// <summary>
/// The external attestation client used on real hardware: section <c>FactoryMesh:Agent:Evidence</c>. It is run once
/// per challenge and prints evidence of <see cref="Format"/> on standard output: a compact JWT (<c>eat-jwt</c>,
/// <c>ear-jwt</c>, <c>ita-jwt</c>) or JSON (<c>nvidia-eat</c>, <c>composite</c>). <c>{nonce}</c>, <c>{nonceSha256}</c>
/// (the challenge's SHA-256 in hex: the 32-byte nonce NVIDIA's <c>nvattest --nonce</c> takes) and <c>{nodeId}</c> in
/// its arguments are replaced; it also finds them in <c>FACTORYMESH_NONCE</c>, <c>FACTORYMESH_NONCE_SHA256</c> and
/// <c>FACTORYMESH_NODE_ID</c>.
/// </summary>
internal sealed class EvidenceCommandOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Agent:Evidence";

    /// <summary>The format of what it prints (<c>--evidence-format</c>), <c>eat-jwt</c> by default.</summary>
    public string Format { get; set; } = "eat-jwt";

    /// <summary>The executable.</summary>
    public string? Command { get; set; }

    /// <summary>Its arguments, e.g. <c>["attest", "--nonce", "{nonce}"]</c>.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>How long it may take, seconds.</summary>
    public double TimeoutSeconds { get; set; } = 60;
}
