using System.Security.Cryptography;
using FactoryMesh.Core.KeyRelease;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Trust;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Core.Tests.KeyRelease;

/// <summary>The key release policy on its own: one case per refusal, and the key it wraps to when it allows.</summary>
public sealed class KeyReleasePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Attested = Jwk();

    private static string Jwk()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var q = key.ExportParameters(false).Q;
        return $$"""{"kty":"EC","crv":"P-384","x":"{{Base64UrlEncoder.Encode(q.X)}}","y":"{{Base64UrlEncoder.Encode(q.Y)}}"}""";
    }

    private static KeyReleaseFacts Allowed => new(
        "eu-fra-1/node-1", "acme/llama", Now, new TrustStatus(TrustState.Trusted, Now.AddMinutes(-1), Now.AddMinutes(9), "attested"), "TDX", Attested,
        NodeReplicaEpoch: 3, ModelReplicaEpoch: 3, RequestedEpoch: 3, PresentedTeeKeyJwk: Attested,
        new TenantPolicy(["DE"], ["EU"], [], ["TDX"], 600, new ObjectiveWeights(1, 0, 0), null), new SiteProfile("DE", ["EU"], 0.2, 1.2, 380));

    [Fact]
    public void A_trusted_node_holding_the_current_replica_and_presenting_its_attested_key_gets_the_key_wrapped_to_it()
    {
        var (refusal, _, wrapTo) = KeyReleasePolicy.Judge(Allowed);

        Assert.Equal(KeyRefusal.None, refusal);
        Assert.True(wrapTo!.SameAs(TeeKey.TryParse(Attested)!));
    }

    public static TheoryData<string, KeyRefusal> Refusals => new()
    {
        { "stale", KeyRefusal.NodeNotTrusted },
        { "expired", KeyRefusal.NodeNotTrusted },
        { "jurisdiction", KeyRefusal.OutsideTenantPolicy },
        { "tee kind", KeyRefusal.OutsideTenantPolicy },
        { "old attestation", KeyRefusal.AttestationTooOld },
        { "no reservation", KeyRefusal.NoReplica },
        { "not the model's", KeyRefusal.NoReplica },
        { "old epoch", KeyRefusal.StaleAssignment },
        { "no attested key", KeyRefusal.NoAttestedTeeKey },
        { "another key", KeyRefusal.TeeKeyMismatch },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_fact_that_fails_refuses_with_its_reason(string change, KeyRefusal expected)
    {
        var facts = change switch
        {
            "stale" => Allowed with { Trust = Allowed.Trust with { State = TrustState.Stale } },
            "expired" => Allowed with { Trust = Allowed.Trust with { ExpiresAt = Now } },
            "jurisdiction" => Allowed with { Site = Allowed.Site with { Jurisdiction = "US" } },
            "tee kind" => Allowed with { NodeTeeKind = "SEV-SNP" },
            "old attestation" => Allowed with { Trust = Allowed.Trust with { VerifiedAt = Now.AddHours(-1) } },
            "no reservation" => Allowed with { NodeReplicaEpoch = null },
            "not the model's" => Allowed with { ModelReplicaEpoch = null },
            "old epoch" => Allowed with { RequestedEpoch = 2 },
            "no attested key" => Allowed with { AttestedTeeKeyJwk = null },
            _ => Allowed with { PresentedTeeKeyJwk = Jwk() },
        };

        var (refusal, detail, wrapTo) = KeyReleasePolicy.Judge(facts);

        Assert.Equal(expected, refusal);
        Assert.Null(wrapTo);
        Assert.False(string.IsNullOrWhiteSpace(detail));
    }
}
