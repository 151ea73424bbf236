using System.Security.Cryptography;
using FactoryMesh.Core.Attestation;

namespace FactoryMesh.Server.Hosting;

/// <summary>
/// The appraisal policy file and the attestor it governs. <see cref="Refresh"/> reads the file and, when its content
/// changed, parses it and puts it in force; a file that does not parse (a half-written edit, a typo) leaves the
/// policy in force as it was and is reported, once per content.
/// </summary>
public sealed class AppraisalPolicyFile(string path, Attestor attestor)
{
    private byte[] _lastSeen = Hash(File.ReadAllBytes(path));

    /// <summary>The file.</summary>
    public string Path => path;

    /// <summary>What one look at the file found.</summary>
    /// <param name="Changed">The file's content changed since the last look.</param>
    /// <param name="PreviousVersion">The policy version in force before.</param>
    /// <param name="Version">The policy version in force now.</param>
    /// <param name="Error">Why the changed file was refused; null when it was put in force.</param>
    public sealed record Outcome(bool Changed, string PreviousVersion, string Version, string? Error);

    /// <summary>Looks at the file once.</summary>
    public Outcome Refresh()
    {
        var previous = attestor.PolicyVersion;
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (IOException exception)
        {
            return new Outcome(false, previous, previous, exception.Message);
        }

        var hash = Hash(content);
        if (CryptographicOperations.FixedTimeEquals(hash, _lastSeen))
        {
            return new Outcome(false, previous, previous, null);
        }

        _lastSeen = hash;
        try
        {
            attestor.ReplacePolicy(AppraisalPolicy.Parse(System.Text.Encoding.UTF8.GetString(content)));
            return new Outcome(true, previous, attestor.PolicyVersion, null);
        }
        catch (FormatException exception)
        {
            return new Outcome(true, previous, previous, exception.Message);
        }
    }

    private static byte[] Hash(byte[] content) => SHA256.HashData(content);
}
