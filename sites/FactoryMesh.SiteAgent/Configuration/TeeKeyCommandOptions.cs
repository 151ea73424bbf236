namespace FactoryMesh.SiteAgent.Configuration;

/// <summary>
/// The program inside a real TEE that holds its key: section <c>FactoryMesh:Agent:TeeKey</c> (<c>--tee-key-command</c>).
/// Run as <c>COMMAND [ARGUMENTS] public-key</c> it prints the TEE's public key as a JWK (the key its evidence binds);
/// run as <c>COMMAND [ARGUMENTS] open CIPHERTEXT PLAINTEXT</c> with a released key's compact JWE on standard input, it
/// opens the data key inside the TEE, decrypts the artifact file to the plaintext file and prints the plaintext's
/// SHA-256 (hex): the agent never sees the key. <c>FACTORYMESH_NODE_ID</c> names the node. Without it a real node
/// attests but is given no keys.
/// </summary>
internal sealed class TeeKeyCommandOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Agent:TeeKey";

    /// <summary>The executable.</summary>
    public string? Command { get; set; }

    /// <summary>Arguments before the verb.</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>How long one call may take, seconds.</summary>
    public double TimeoutSeconds { get; set; } = 30;
}
