using FactoryMesh.Core.Attestation;
using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Trust;
using FactoryMesh.Grains.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static FactoryMesh.Grains.Tests.FleetTestData;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Grains.Tests;

[Collection(FleetClusterCollection.Name)]
public sealed class TrustLifecycleTests(FleetClusterFixture fixture)
{
    private static readonly Core.Nodes.NodeInventory SimNode = H100Node with { TeeKind = "SIM" };

    private SqliteFleetCluster Fleet => fixture.Fleet;

    private static async Task<(INodeGrain Node, string NodeId)> RegisterAsync(SqliteFleetCluster fleet, string siteId, string name)
    {
        var nodeId = $"{siteId}/{name}";
        var node = fleet.Grains.GetGrain<INodeGrain>(nodeId);
        await node.RegisterAsync(SimNode, null);
        return (node, nodeId);
    }

    private static async Task<AttestationOutcome> AttestAsync(INodeGrain node, string nodeId, Action<string>? beforeSubmit = null, SimulatedTee.SimulatedTeeDevice? device = null, bool gpuDebug = false)
    {
        using var owned = device is null ? TestAttestation.NewDevice(nodeId) : null;
        return await TestAttestation.AttestAsync(node, nodeId, device ?? owned!, gpuDebug, beforeSubmit);
    }

    private static async Task<string> NewSiteAsync(SqliteFleetCluster fleet)
    {
        var siteId = UniqueSiteId();
        await fleet.Grains.GetGrain<ISiteGrain>(siteId).UpsertAsync(Frankfurt);
        return siteId;
    }

    [Fact]
    public async Task Valid_evidence_makes_the_node_trusted_until_max_age_and_the_site_index_knows()
    {
        var siteId = await NewSiteAsync(Fleet);
        var (node, nodeId) = await RegisterAsync(Fleet, siteId, "node-1");

        var outcome = await AttestAsync(node, nodeId);

        Assert.Equal(AppraisalCheck.None, outcome.FailedCheck);
        Assert.Equal(TrustState.Trusted, outcome.Trust.State);
        Assert.Equal(Fleet.Clock.GetUtcNow(), outcome.Trust.VerifiedAt);
        Assert.Equal(Fleet.Clock.GetUtcNow() + TimeSpan.FromSeconds(600), outcome.Trust.ExpiresAt);
        var facts = Assert.Single(await Fleet.Grains.GetGrain<ISiteGrain>(siteId).GetNodeFactsAsync());
        Assert.Equal(TrustState.Trusted, facts.Trust.State);
        Assert.Equal(1, (await Fleet.Grains.GetGrain<ISiteGrain>(siteId).GetAsync())!.Trusted);
    }

    [Fact]
    public async Task A_failed_appraisal_makes_the_node_untrusted_with_the_failed_check_as_reason()
    {
        var siteId = await NewSiteAsync(Fleet);
        var (node, nodeId) = await RegisterAsync(Fleet, siteId, "node-1");

        var outcome = await AttestAsync(node, nodeId, gpuDebug: true);

        Assert.Equal(AppraisalCheck.DebugEnabled, outcome.FailedCheck);
        Assert.Equal(TrustState.Untrusted, outcome.Trust.State);
        Assert.StartsWith("DebugEnabled", outcome.Trust.Reason, StringComparison.Ordinal);
        Assert.Equal(TrustState.Untrusted, (await node.GetAsync())!.Trust.State);
    }

    [Fact]
    public async Task Junk_forgeries_and_replays_are_refused_without_touching_trust_or_the_outstanding_challenge()
    {
        var siteId = await NewSiteAsync(Fleet);
        var (node, nodeId) = await RegisterAsync(Fleet, siteId, "node-1");
        using var device = TestAttestation.NewDevice(nodeId);
        var first = await AttestAsync(node, nodeId, device: device);
        Assert.Equal(TrustState.Trusted, first.Trust.State);
        var challenge = await node.IssueChallengeAsync();

        var garbage = await node.AttestAsync(EvidenceFormats.SimulatedJws, "not-evidence", "agent-test");
        var forged = await node.AttestAsync(EvidenceFormats.SimulatedJws, TestAttestation.Evidence(device, nodeId, "forged-nonce"), "agent-test");
        var unknown = await node.AttestAsync("tpm-quote", "x", "agent-test");

        Assert.Equal(AppraisalCheck.MalformedEvidence, garbage!.FailedCheck);
        Assert.Equal(AppraisalCheck.NonceForged, forged!.FailedCheck);
        Assert.Equal(AppraisalCheck.UnknownFormat, unknown!.FailedCheck);
        Assert.All(new[] { garbage, forged, unknown }, o => Assert.Equal(TrustState.Trusted, o.Trust.State));
        Assert.Equal(TrustState.Trusted, (await node.GetAsync())!.Trust.State);

        // The real agent's answer to the challenge still counts; used once, it is spent.
        var evidence = TestAttestation.Evidence(device, nodeId, challenge!.Nonce);
        var answered = await node.AttestAsync(EvidenceFormats.SimulatedJws, evidence, "agent-test");
        var replayed = await node.AttestAsync(EvidenceFormats.SimulatedJws, evidence, "agent-test");
        Assert.Equal(AppraisalCheck.None, answered!.FailedCheck);
        Assert.Equal(AppraisalCheck.NonceReused, replayed!.FailedCheck);
        Assert.Equal(TrustState.Trusted, replayed.Trust.State);

        var refusals = (await Fleet.Audit.ReadAsync(nodeId, null, 0, 100)).Select(AuditChain.Read)
            .Where(e => e.Verdict.StartsWith("refused:", StringComparison.Ordinal)).Select(e => e.Verdict);
        Assert.Equal(["refused: MalformedEvidence", "refused: NonceForged", "refused: UnknownFormat", "refused: NonceReused"], refusals);
    }

    [Fact]
    public async Task Trust_turns_stale_exactly_at_expiry_with_no_call_to_the_node()
    {
        var siteId = await NewSiteAsync(Fleet);
        var (node, nodeId) = await RegisterAsync(Fleet, siteId, "node-1");
        var site = Fleet.Grains.GetGrain<ISiteGrain>(siteId);
        var outcome = await AttestAsync(node, nodeId);
        var expiresAt = outcome.Trust.ExpiresAt!.Value;

        Fleet.Clock.Advance(expiresAt - Fleet.Clock.GetUtcNow() - TimeSpan.FromTicks(1));
        Assert.Equal(TrustState.Trusted, (await site.GetNodeFactsAsync())[0].Trust.State);
        Fleet.Clock.Advance(TimeSpan.FromTicks(1));

        await Eventually.HoldsAsync(async () => (await site.GetNodeFactsAsync())[0].Trust.State == TrustState.Stale, $"node {nodeId} to turn Stale in its site index");
        var trust = (await site.GetNodeFactsAsync())[0].Trust;
        Assert.Equal(expiresAt, trust.ExpiresAt);
    }

    [Fact]
    public async Task Trust_expires_on_time_after_a_silo_restart_in_between()
    {
        var clock = new FakeTimeProvider(SqliteFleetCluster.Epoch);
        var first = await SqliteFleetCluster.StartAsync(clock: clock);
        await first.Grains.GetGrain<ISiteGrain>("eu-fra-1").UpsertAsync(Frankfurt);
        var (node, nodeId) = await RegisterAsync(first, "eu-fra-1", "node-1");
        var expiresAt = (await AttestAsync(node, nodeId)).Trust.ExpiresAt!.Value;
        clock.Advance(TimeSpan.FromMinutes(4));
        await first.StopAsync();

        var second = await SqliteFleetCluster.StartAsync(first.DatabasePath, clock);
        try
        {
            var site = second.Grains.GetGrain<ISiteGrain>("eu-fra-1");
            await Eventually.HoldsAsync(async () => (await site.GetNodeFactsAsync()).Count == 1, "the site to come back");
            Assert.Equal(TrustState.Trusted, (await site.GetNodeFactsAsync())[0].Trust.State);

            clock.Advance(expiresAt - clock.GetUtcNow());

            await Eventually.HoldsAsync(async () => (await site.GetNodeFactsAsync())[0].Trust.State == TrustState.Stale, $"node {nodeId} to turn Stale after the restart");
        }
        finally
        {
            await second.StopAsync();
        }
    }

    [Fact]
    public async Task Revoking_a_device_certificate_untrusts_exactly_the_node_that_used_it()
    {
        var siteId = await NewSiteAsync(Fleet);
        using var revoked = TestAttestation.NewDevice("revoked");
        using var other = TestAttestation.NewDevice("other");
        var (node1, id1) = await RegisterAsync(Fleet, siteId, "node-1");
        var (node2, id2) = await RegisterAsync(Fleet, siteId, "node-2");
        await AttestAsync(node1, id1, device: revoked);
        await AttestAsync(node2, id2, device: other);

        var untrusted = await Fleet.Grains.GetGrain<ICertificateRevocationGrain>(ICertificateRevocationGrain.Key)
            .RevokeAsync(revoked.DeviceThumbprint.ToLowerInvariant(), "key compromise", "operator-test");

        Assert.Equal([id1], untrusted);
        Assert.Equal(TrustState.Untrusted, (await node1.GetAsync())!.Trust.State);
        Assert.Equal(TrustState.Trusted, (await node2.GetAsync())!.Trust.State);
        var again = await AttestAsync(node1, id1, device: revoked);
        Assert.Equal(AppraisalCheck.CertificateRevoked, again.FailedCheck);
    }

    [Fact]
    public async Task Revoking_a_vendor_ca_untrusts_every_node_whose_evidence_chains_to_it_and_no_other()
    {
        // A cluster of its own: the revocation list lives as long as the cluster, and this one revokes the test vendor.
        var fleet = await SqliteFleetCluster.StartAsync();
        try
        {
            await fleet.Grains.GetGrain<ISiteGrain>("eu-fra-1").UpsertAsync(Frankfurt);
            var (node1, id1) = await RegisterAsync(fleet, "eu-fra-1", "node-1");
            var (node2, id2) = await RegisterAsync(fleet, "eu-fra-1", "node-2");
            var (node3, _) = await RegisterAsync(fleet, "eu-fra-1", "node-3"); // never attested
            await AttestAsync(node1, id1);
            await AttestAsync(node2, id2);
            var root = TestAttestation.Vendor.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);

            var untrusted = await fleet.Grains.GetGrain<ICertificateRevocationGrain>(ICertificateRevocationGrain.Key).RevokeAsync(root, "vendor CA compromised", "operator-test");

            Assert.Equal([id1, id2], untrusted);
            Assert.Equal(TrustState.Untrusted, (await node1.GetAsync())!.Trust.State);
            Assert.Equal(TrustState.Unknown, (await node3.GetAsync())!.Trust.State);
            Assert.Equal(AppraisalCheck.CertificateRevoked, (await AttestAsync(node2, id2)).FailedCheck);
        }
        finally
        {
            await fleet.StopAsync();
        }
    }

    [Fact]
    public async Task A_device_certificate_attests_only_the_node_it_first_attested()
    {
        var siteId = await NewSiteAsync(Fleet);
        using var device = TestAttestation.NewDevice("pinned");
        var (owner, ownerId) = await RegisterAsync(Fleet, siteId, "node-1");
        var (other, otherId) = await RegisterAsync(Fleet, siteId, "node-2");
        Assert.Equal(TrustState.Trusted, (await AttestAsync(owner, ownerId, device: device)).Trust.State);

        var borrowed = await AttestAsync(other, otherId, device: device);

        Assert.Equal(AppraisalCheck.DevicePinnedToAnotherNode, borrowed.FailedCheck);
        Assert.Equal(TrustState.Untrusted, (await other.GetAsync())!.Trust.State);
        Assert.DoesNotContain(ownerId, (await other.GetAsync())!.Trust.Reason, StringComparison.Ordinal);
        Assert.Equal(TrustState.Trusted, (await AttestAsync(owner, ownerId, device: device)).Trust.State);
    }

    [Fact]
    public async Task Evidence_for_fewer_gpus_than_registered_untrusts_the_node()
    {
        var siteId = await NewSiteAsync(Fleet);
        var (node, nodeId) = await RegisterAsync(Fleet, siteId, "node-1");
        using var device = TestAttestation.NewDevice(nodeId);
        var challenge = await node.IssueChallengeAsync();

        var outcome = await node.AttestAsync(EvidenceFormats.SimulatedJws, TestAttestation.Evidence(device, nodeId, challenge!.Nonce, gpuCount: SimNode.GpuCount - 1), "agent-test");

        Assert.Equal(AppraisalCheck.GpuInventoryMismatch, outcome!.FailedCheck);
        Assert.Equal(TrustState.Untrusted, outcome.Trust.State);
    }

    [Fact]
    public async Task Re_registering_with_another_inventory_forgets_trust_tee_key_and_replicas()
    {
        var siteId = await NewSiteAsync(Fleet);
        var (node, nodeId) = await RegisterAsync(Fleet, siteId, "node-1");
        await AttestAsync(node, nodeId);
        Assert.Equal(ReservationOutcome.Reserved, await node.ReserveAsync("tenant-x/model-x", 80, 1, TimeSpan.Zero));

        await node.RegisterAsync(SimNode, null);
        Assert.Equal(TrustState.Trusted, (await node.GetAsync())!.Trust.State); // the same inventory again: an agent restart

        foreach (var changed in new[] { SimNode with { GpuCount = 64 }, SimNode with { GpuModel = "B200" }, SimNode with { GpuMemoryGiB = 192 }, SimNode with { TeeKind = "TDX" }, SimNode with { CostUsdPerHour = 1 } })
        {
            await node.RegisterAsync(SimNode, null);
            await AttestAsync(node, nodeId);
            Assert.True((await node.GetAsync())!.TeeKeyBound);
            Assert.Equal(ReservationOutcome.Reserved, await node.ReserveAsync("tenant-x/model-x", 80, 1, TimeSpan.Zero));

            await node.RegisterAsync(changed, null);

            var view = (await node.GetAsync())!;
            Assert.Equal(TrustState.Unknown, view.Trust.State);
            Assert.Empty(view.Replicas);
            Assert.False(view.TeeKeyBound);
            Assert.Equal(TrustState.Unknown, (await Fleet.Grains.GetGrain<ISiteGrain>(siteId).GetNodeFactsAsync())[0].Trust.State);
        }
    }

    [Fact]
    public async Task An_operator_revocation_untrusts_the_node_at_once()
    {
        var siteId = await NewSiteAsync(Fleet);
        var (node, nodeId) = await RegisterAsync(Fleet, siteId, "node-1");
        await AttestAsync(node, nodeId);

        var trust = await node.RevokeAsync("suspected tampering", "operator-test");

        Assert.Equal(TrustState.Untrusted, trust!.State);
        Assert.Equal(TrustState.Untrusted, (await Fleet.Grains.GetGrain<ISiteGrain>(siteId).GetNodeFactsAsync())[0].Trust.State);
    }

    [Fact]
    public async Task The_audit_log_holds_one_entry_per_appraisal_and_transition_and_no_secrets()
    {
        var siteId = await NewSiteAsync(Fleet);
        var (node, nodeId) = await RegisterAsync(Fleet, siteId, "node-1");
        string? rawEvidence = null;
        await AttestAsync(node, nodeId, e => rawEvidence = e); // appraisal + Unknown->Trusted
        await AttestAsync(node, nodeId);                        // appraisal, no transition
        await AttestAsync(node, nodeId, gpuDebug: true);        // appraisal + Trusted->Untrusted

        var records = await Fleet.Audit.ReadAsync(nodeId, null, 0, 100);
        var entries = records.Select(AuditChain.Read).ToList();

        Assert.Equal(3, entries.Count(e => e.Kind == AuditKinds.Appraisal));
        Assert.Equal(["Trusted", "Untrusted"], entries.Where(e => e.Kind == AuditKinds.Transition).Select(e => e.NewState));
        Assert.All(entries.Where(e => e.Kind == AuditKinds.Appraisal), e =>
        {
            Assert.Equal(64, e.EvidenceSha256!.Length);
            Assert.NotNull(e.Nonce);
            Assert.NotNull(e.PolicyVersion);
        });
        var signature = rawEvidence!.Split('.')[2];
        Assert.All(records, r => Assert.DoesNotContain(signature, r.Body, StringComparison.Ordinal));
        Assert.All(records, r => Assert.DoesNotContain("PRIVATE", r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Editing_deleting_or_swapping_a_stored_audit_record_is_caught_by_verification()
    {
        var clock = new FakeTimeProvider(SqliteFleetCluster.Epoch);
        var fleet = await SqliteFleetCluster.StartAsync(clock: clock);
        try
        {
            await fleet.Grains.GetGrain<ISiteGrain>("eu-fra-1").UpsertAsync(Frankfurt);
            var (node, nodeId) = await RegisterAsync(fleet, "eu-fra-1", "node-1");
            await AttestAsync(node, nodeId);
            await AttestAsync(node, nodeId, gpuDebug: true);
            await AttestAsync(node, nodeId);

            async Task<AuditVerification> VerifyAsync() =>
                TestAttestation.AuditChain.Verify(await fleet.Audit.ReadAsync(null, null, 0, 10_000), (await fleet.Audit.ReadHeadAsync())!);

            var intact = await VerifyAsync();
            Assert.True(intact.Intact, intact.Problem);
            Assert.Equal(6, intact.Records);

            await fleet.ExecuteAsync("UPDATE AuditRecord SET Body = replace(Body, 'DebugEnabled', 'pass') WHERE Sequence = 3");
            var edited = await VerifyAsync();
            Assert.False(edited.Intact);
            Assert.Equal(3, edited.BrokenAt);
            await fleet.ExecuteAsync("UPDATE AuditRecord SET Body = replace(Body, '\"verdict\":\"pass\"', '\"verdict\":\"DebugEnabled\"') WHERE Sequence = 3");
            Assert.True((await VerifyAsync()).Intact);

            await fleet.ExecuteAsync("UPDATE AuditRecord SET Sequence = -2 WHERE Sequence = 2; UPDATE AuditRecord SET Sequence = 2 WHERE Sequence = 4; UPDATE AuditRecord SET Sequence = 4 WHERE Sequence = -2");
            var swapped = await VerifyAsync();
            Assert.False(swapped.Intact);
            Assert.Equal(2, swapped.BrokenAt);
            await fleet.ExecuteAsync("UPDATE AuditRecord SET Sequence = -2 WHERE Sequence = 2; UPDATE AuditRecord SET Sequence = 2 WHERE Sequence = 4; UPDATE AuditRecord SET Sequence = 4 WHERE Sequence = -2");
            Assert.True((await VerifyAsync()).Intact);

            await fleet.ExecuteAsync("DELETE FROM AuditRecord WHERE Sequence = 6");
            var truncated = await VerifyAsync();
            Assert.False(truncated.Intact);
            Assert.Contains("signed head", truncated.Problem, StringComparison.Ordinal);

            await fleet.ExecuteAsync("DELETE FROM AuditRecord WHERE Sequence = 2");
            Assert.Equal(3, (await VerifyAsync()).BrokenAt);
        }
        finally
        {
            await fleet.StopAsync();
        }
    }

    [Fact]
    public async Task A_tail_cut_with_an_older_signed_head_restored_is_caught_by_the_checkpoint_kept_outside_the_database()
    {
        var clock = new FakeTimeProvider(SqliteFleetCluster.Epoch);
        var first = await SqliteFleetCluster.StartAsync(clock: clock);
        var databasePath = first.DatabasePath;
        var checkpoint = first.Checkpoint;
        AuditHead olderHead;
        try
        {
            await first.Grains.GetGrain<ISiteGrain>("eu-fra-1").UpsertAsync(Frankfurt);
            var (node, nodeId) = await RegisterAsync(first, "eu-fra-1", "node-1");
            await AttestAsync(node, nodeId);
            await AttestAsync(node, nodeId, gpuDebug: true);
            var records = await first.Audit.ReadAsync(null, null, 0, 10_000);
            Assert.Equal(4, records.Count);
            Assert.Equal(4, checkpoint.Latest!.Sequence);

            // What a database writer can do without the audit key: keep a head the server once signed (here: after
            // record 2), then cut the records after it and put that head back.
            olderHead = TestAttestation.AuditChain.HeadAfter(records[1]);
        }
        finally
        {
            await first.StopAsync();
        }

        await first.ExecuteAsync(
            $"DELETE FROM AuditRecord WHERE Sequence > 2; UPDATE AuditHead SET Sequence = {olderHead.Sequence}, Hash = '{olderHead.Hash}', Signature = '{olderHead.Signature}' WHERE Id = 1");

        var second = await SqliteFleetCluster.StartAsync(databasePath, clock, checkpoint);
        try
        {
            var records = await second.Audit.ReadAsync(null, null, 0, 10_000);
            var head = (await second.Audit.ReadHeadAsync())!;
            Assert.True(AuditChain.Verify(records, head, TestAttestation.AuditPublicKey).Intact); // the chain alone cannot tell

            var (node, nodeId) = await RegisterAsync(second, "eu-fra-1", "node-2");
            await AttestAsync(node, nodeId); // the ledger grain wakes, finds the database behind its checkpoint

            Assert.True(checkpoint.Frozen);
            Assert.Equal(4, checkpoint.Latest!.Sequence);
            var cut = AuditChain.Verify(await second.Audit.ReadAsync(null, null, 0, 10_000), (await second.Audit.ReadHeadAsync())!, TestAttestation.AuditPublicKey, checkpoint.Latest);
            Assert.False(cut.Intact);
            Assert.Equal(4, cut.BrokenAt);
        }
        finally
        {
            await second.StopAsync();
        }
    }
}
