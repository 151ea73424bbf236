namespace FactoryMesh.Core.Attestation;

/// <summary>
/// How one class of device (H100 GPUs, TDX CPUs, NVSwitches) is appraised: which components it covers, the reference
/// values its measurements must match, the TCB statuses and trustworthiness tiers it accepts, and whether a node
/// needs one.
/// </summary>
/// <param name="Name">The class's name in the policy file.</param>
/// <param name="Kind">The component kind it covers: <c>cpu</c>, <c>gpu</c> or <c>switch</c>.</param>
/// <param name="Match">Prefixes of the model a device states (<c>GH100</c>, <c>TDX</c>); empty: every device of the kind.</param>
/// <param name="RegisteredModels">GPU models a node may register for such devices (<c>H100</c>); empty: any.</param>
/// <param name="Optional">A node need not have one (switches); otherwise every node must state a component of this kind.</param>
/// <param name="ReferenceValues">Measurement name → allowed values; every name must be stated by the device.</param>
/// <param name="AllowedTcbStatuses">TCB statuses accepted when the evidence states one; null: only <c>UpToDate</c>.</param>
/// <param name="TrustVector">EAR trustworthiness claim → worst accepted tier (<see cref="TrustTiers"/>); null: the defaults.</param>
/// <param name="Formats">The evidence formats whose devices it covers (<c>ear-jwt</c>); empty: every format.</param>
public sealed record DeviceClass(
    string Name,
    string Kind,
    IReadOnlyList<string> Match,
    IReadOnlyList<string> RegisteredModels,
    bool Optional,
    IReadOnlyDictionary<string, IReadOnlyList<ReferenceValue>> ReferenceValues,
    IReadOnlyList<string>? AllowedTcbStatuses,
    IReadOnlyDictionary<string, string>? TrustVector,
    IReadOnlyList<string>? Formats = null)
{
    /// <summary>The TCB status accepted when a class names none.</summary>
    public const string UpToDate = "UpToDate";

    /// <summary>What an EAR device must affirm when a class names no trustworthiness minimums; other claims must only not contraindicate.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultTrustVector = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["instance-identity"] = TrustTiers.Affirming,
        ["configuration"] = TrustTiers.Affirming,
        ["executables"] = TrustTiers.Affirming,
        ["hardware"] = TrustTiers.Affirming,
    };

    /// <summary>True when this class covers <paramref name="component"/>.</summary>
    public bool Covers(ComponentEvidence component) =>
        string.Equals(component.Kind, Kind, StringComparison.Ordinal)
        && (Formats is not { Count: > 0 } || (component.Format is { } format && Formats.Contains(format, StringComparer.Ordinal)))
        && (Match.Count == 0 || (component.Model is { } model && Match.Any(prefix => model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))));
}
