using FactoryMesh.SimulatedTee;
using FactoryMesh.SiteAgent.Storage;

namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>
/// The simulated GPU vendor's CA, created once and kept: its certificate and private key in
/// <c>vendor-ca.pem</c> (mode 0600), its root certificate alone in <c>vendor-root.pem</c>, the file a control plane
/// operator may choose to trust (<c>FactoryMesh:Attestation:SimulatedTee:RootCertificatePaths:N</c>). Nothing trusts
/// it by default. Agents may share the folder; whichever creates the CA first wins and the others load it.
/// </summary>
internal static class VendorAuthorityStore
{
    /// <summary>The CA's certificate and key.</summary>
    public const string AuthorityFileName = "vendor-ca.pem";

    /// <summary>The root certificate alone, for the control plane.</summary>
    public const string RootCertificateFileName = "vendor-root.pem";

    /// <summary>How long a new CA is valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);

    /// <summary>The path of the root certificate in <paramref name="directory"/>.</summary>
    public static string RootCertificatePath(string directory) => Path.Combine(directory, RootCertificateFileName);

    /// <summary>Loads the CA kept in <paramref name="directory"/>, creating it first if there is none.</summary>
    public static SimulatedVendorCa OpenOrCreate(string directory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        AgentFiles.EnsureDirectory(directory);
        var authorityPath = Path.Combine(directory, AuthorityFileName);
        if (!File.Exists(authorityPath))
        {
            var now = time.GetUtcNow();
            using var created = SimulatedVendorCa.Create("FactoryMesh Simulated GPU Vendor Root", now.AddDays(-1), now + Lifetime);
            var (certificatePem, keyPem) = created.ExportPem();
            AgentFiles.TryCreateSecret(authorityPath, certificatePem + "\n" + keyPem + "\n");
        }

        var pem = File.ReadAllText(authorityPath);
        var authority = SimulatedVendorCa.LoadPem(pem, pem);
        var rootPath = RootCertificatePath(directory);
        if (!File.Exists(rootPath) || File.ReadAllText(rootPath) != authority.RootCertificatePem)
        {
            AgentFiles.WritePublic(rootPath, authority.RootCertificatePem);
        }

        return authority;
    }
}
