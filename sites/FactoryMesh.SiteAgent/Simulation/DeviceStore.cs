using FactoryMesh.SimulatedTee;
using FactoryMesh.SiteAgent.Storage;

namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>
/// Each simulated node's TEE device, kept across runs like a real device's key and certificate:
/// <c>&lt;data&gt;/devices/&lt;CA thumbprint&gt;/&lt;node&gt;.pem</c> (mode 0600). A device is issued again when its
/// certificate nears its end, lacks the attestation key usage (issued before it was required), or when the vendor CA
/// changed (a new folder). The TEE key is new each run, as a real
/// TEE's is each boot.
/// </summary>
internal sealed class DeviceStore(string dataDirectory, SimulatedVendorCa authority, TimeProvider time)
{
    /// <summary>How long a new device certificate is valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>A device is re-issued when less than this is left.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private string Folder => Path.Combine(dataDirectory, "devices", authority.Certificate.Thumbprint[..16].ToLowerInvariant());

    /// <summary>The device of <paramref name="nodeId"/>, loaded or newly issued.</summary>
    public SimulatedTeeDevice OpenOrIssue(string nodeName, string nodeId)
    {
        AgentFiles.EnsureDirectory(Folder);
        var path = Path.Combine(Folder, nodeName + ".pem");
        var now = time.GetUtcNow();
        if (File.Exists(path))
        {
            var pem = File.ReadAllText(path);
            var device = authority.LoadDevice(pem, pem);
            if (device.DeviceCertificate.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore && SimulatedVendorCa.IsIssuedForAttestation(device))
            {
                return device;
            }

            device.Dispose();
        }

        var issued = authority.IssueDevice(nodeId, now.AddHours(-1), now + Lifetime);
        var (certificatePem, keyPem) = issued.ExportPem();
        AgentFiles.WriteSecret(path, certificatePem + "\n" + keyPem + "\n");
        return issued;
    }
}
