using System.Collections.Frozen;

namespace FactoryMesh.Core.Nodes;

/// <summary>The trusted execution environments a node can attest with.</summary>
public static class TeeKinds
{
    /// <summary>Intel Trust Domain Extensions CPU TEE with NVIDIA GPUs in confidential-computing mode.</summary>
    public const string IntelTdx = "TDX";

    /// <summary>AMD SEV-SNP CPU TEE with NVIDIA GPUs in confidential-computing mode.</summary>
    public const string AmdSevSnp = "SEV-SNP";

    /// <summary>Arm Confidential Compute Architecture realms.</summary>
    public const string ArmCca = "CCA";

    /// <summary>The site agent's simulated TEE: same evidence shape and verification path, no hardware root.</summary>
    public const string Simulated = "SIM";

    /// <summary>Every kind FactoryMesh knows.</summary>
    public static readonly FrozenSet<string> All =
        new[] { IntelTdx, AmdSevSnp, ArmCca, Simulated }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The kinds, for error messages.</summary>
    public static string Listed => string.Join(", ", All.Order(StringComparer.Ordinal));
}
