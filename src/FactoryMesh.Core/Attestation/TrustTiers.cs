namespace FactoryMesh.Core.Attestation;

/// <summary>
/// The tiers of an AR4SI trustworthiness claim (draft-ietf-rats-ar4si): -1..1 say nothing, 2..31 affirm, 32..95 warn,
/// 96..127 contraindicate. An appraisal policy names the worst tier it accepts per claim.
/// </summary>
public static class TrustTiers
{
    /// <summary>Tier names as the appraisal policy file spells them, best first.</summary>
    public const string Affirming = "affirming";

    /// <summary>Affirming or warning values.</summary>
    public const string Warning = "warning";

    /// <summary>Anything but contraindicated, including no claim at all.</summary>
    public const string None = "none";

    /// <summary>True for an affirming value.</summary>
    public static bool IsAffirming(int value) => value is >= 2 and <= 31;

    /// <summary>True when <paramref name="value"/> is no worse than <paramref name="worstAccepted"/>.</summary>
    public static bool Accepts(string worstAccepted, int value) => worstAccepted switch
    {
        Affirming => IsAffirming(value),
        Warning => value is >= 2 and <= 95,
        None => value is >= -128 and <= 95,
        _ => false,
    };

    /// <summary>True for a known tier name.</summary>
    public static bool IsTier(string name) => name is Affirming or Warning or None;
}
