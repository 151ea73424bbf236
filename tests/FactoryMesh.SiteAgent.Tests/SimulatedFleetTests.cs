using System.Security.Cryptography;
using FactoryMesh.Core.Attestation;
using FactoryMesh.SiteAgent.Faults;
using FactoryMesh.SiteAgent.Simulation;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>The simulated fleet: its GPUs, its load, its vendor PKI and its evidence.</summary>
public sealed class SimulatedFleetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fm-agent-sim-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_GPU_models_carry_their_public_memory_and_power_figures()
    {
        Assert.Equal((80, 700), (GpuModelCatalog.H100.MemoryGiB, GpuModelCatalog.H100.PeakWatts));
        Assert.Equal((141, 700), (GpuModelCatalog.H200.MemoryGiB, GpuModelCatalog.H200.PeakWatts));
        Assert.Equal((192, 1000), (GpuModelCatalog.B200.MemoryGiB, GpuModelCatalog.B200.PeakWatts));
        Assert.InRange(GpuModelCatalog.H100.NodePeakWatts(8), 8_000, 11_000); // a DGX H100 is rated 10.2 kW
    }

    [Fact]
    public void Power_follows_utilization_between_idle_and_the_registered_peak()
    {
        var model = GpuModelCatalog.B200;
        var powers = Enumerable.Range(0, 11).Select(i => SimulatedLoad.PowerAt(model, 8, i / 10.0)).ToList();

        Assert.Equal(powers.Order(), powers);
        Assert.InRange(powers[0], 8 * model.IdleWatts, 8 * (model.IdleWatts + model.HostWattsPerGpu));
        Assert.Equal(model.NodePeakWatts(8), powers[^1], precision: 6);
    }

    [Fact]
    public void Utilization_varies_plausibly_and_power_memory_and_throughput_follow_it()
    {
        var load = new SimulatedLoad(GpuModelCatalog.H100, 8, "eu-fra-1/node-001");
        var start = DateTimeOffset.UnixEpoch.AddDays(20_000);

        var samples = Enumerable.Range(0, 720).Select(i => load.Sample(start.AddSeconds(5 * i))).ToList();

        Assert.All(samples, s =>
        {
            Assert.InRange(s.GpuUtilization, 0.02, 0.99);
            Assert.InRange(s.GpuMemoryUsedGiB, 0.4 * 640, 0.95 * 640);
            Assert.InRange(s.PowerWatts, 8 * 75, GpuModelCatalog.H100.NodePeakWatts(8));
        });
        var utilizations = samples.Select(s => s.GpuUtilization).ToList();
        Assert.True(utilizations.Max() - utilizations.Min() > 0.2, "over an hour the load should swing");
        Assert.True(samples.Zip(samples.Skip(1)).Average(p => Math.Abs(p.First.GpuUtilization - p.Second.GpuUtilization)) < 0.1, "from one beat to the next it should not jump about");
        var busiest = samples.MaxBy(s => s.GpuUtilization)!;
        var quietest = samples.MinBy(s => s.GpuUtilization)!;
        Assert.True(busiest.PowerWatts > quietest.PowerWatts);
        Assert.True(busiest.TokensPerSecond > quietest.TokensPerSecond);
        Assert.True(busiest.GpuMemoryUsedGiB > quietest.GpuMemoryUsedGiB);
    }

    [Fact]
    public void The_vendor_CA_is_created_once_kept_owner_only_and_its_root_written_for_the_control_plane()
    {
        using var first = VendorAuthorityStore.OpenOrCreate(_folder, TimeProvider.System);
        using var second = VendorAuthorityStore.OpenOrCreate(_folder, TimeProvider.System);

        Assert.Equal(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
        var rootPath = VendorAuthorityStore.RootCertificatePath(_folder);
        Assert.Equal(first.RootCertificatePem, File.ReadAllText(rootPath));
        Assert.DoesNotContain("PRIVATE KEY", File.ReadAllText(rootPath), StringComparison.Ordinal);
        var keyPath = Path.Combine(_folder, VendorAuthorityStore.AuthorityFileName);
        Assert.Contains("PRIVATE KEY", File.ReadAllText(keyPath), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }
    }

    [Fact]
    public void A_node_keeps_its_device_across_runs_but_gets_a_new_TEE_key()
    {
        using var authority = VendorAuthorityStore.OpenOrCreate(_folder, TimeProvider.System);
        var store = new DeviceStore(_folder, authority, TimeProvider.System);

        using var first = store.OpenOrIssue("node-001", "s-1/node-001");
        using var again = store.OpenOrIssue("node-001", "s-1/node-001");
        using var other = store.OpenOrIssue("node-002", "s-1/node-002");

        Assert.Equal(first.DeviceThumbprint, again.DeviceThumbprint);
        Assert.NotEqual(first.DeviceThumbprint, other.DeviceThumbprint);
        Assert.NotEqual(first.TeePublicJwk.ToJsonString(), again.TeePublicJwk.ToJsonString());
    }

    [Theory]
    [InlineData(null, AppraisalCheck.None)]
    [InlineData("debug-on", AppraisalCheck.DebugEnabled)]
    [InlineData("cc-mode-off", AppraisalCheck.CcModeOff)]
    [InlineData("fail-attestation", AppraisalCheck.NonceMismatch)]
    public async Task The_control_planes_appraisal_accepts_simulated_evidence_under_the_agents_reference_values_unless_a_fault_is_injected(string? fault, AppraisalCheck expected)
    {
        using var authority = VendorAuthorityStore.OpenOrCreate(_folder, TimeProvider.System);
        using var device = new DeviceStore(_folder, authority, TimeProvider.System).OpenOrIssue("node-001", "s-1/node-001");
        var faults = new FaultState();
        faults.Set(FaultFileParser.Parse(fault is null ? "{}" : $$"""{"node-001": ["{{fault}}"]}"""));
        var source = new SimulatedEvidenceSource(device, "node-001", GpuModelCatalog.H200, 8, faults);
        var nonces = new NonceCodec(RandomNumberGenerator.GetBytes(32));
        var attestor = new Attestor(
            [new SimulatedTeeVerifier([authority.Certificate], new CertificateChainCache())],
            AppraisalPolicy.Parse(SimulatedMeasurements.AppraisalPolicyJson()),
            new HashSet<string> { SimulatedEvidenceSource.TeeKind },
            nonces);
        var now = DateTimeOffset.UtcNow;
        var nonce = nonces.Issue("s-1/node-001", now.AddMinutes(2));

        var evidence = await source.CreateAsync("s-1/node-001", nonce, CancellationToken.None);
        var verdict = await attestor.JudgeAsync(new AttestationRequest("s-1/node-001", "SIM", 8, source.Format, evidence, nonce, new HashSet<string>(), now));

        Assert.Equal(expected, verdict.FailedCheck);
        Assert.Equal(9, verdict.Evidence!.Components.Count); // the CPU and eight GPUs
    }

    [Theory]
    [InlineData("ear-jwt", null, AppraisalCheck.None)]
    [InlineData("ear-jwt", "debug-on", AppraisalCheck.VerifierResult)]
    [InlineData("ear-jwt", "fail-attestation", AppraisalCheck.VerifierResult)]
    [InlineData("ita-jwt", null, AppraisalCheck.None)]
    [InlineData("ita-jwt", "debug-on", AppraisalCheck.DebugEnabled)]
    [InlineData("ita-jwt", "cc-mode-off", AppraisalCheck.VerifierResult)]
    [InlineData("nvidia-eat", null, AppraisalCheck.None)]
    [InlineData("nvidia-eat", "fail-attestation", AppraisalCheck.AttestationReport)]
    public async Task Each_simulated_verifier_format_passes_the_control_planes_appraisal_as_the_agent_prints_its_settings_unless_a_fault_is_injected(string format, string? fault, AppraisalCheck expected)
    {
        using var authority = VendorAuthorityStore.OpenOrCreate(_folder, TimeProvider.System);
        using var device = new DeviceStore(_folder, authority, TimeProvider.System).OpenOrIssue("node-001", "s-1/node-001");
        using var verifiers = SimulatedVerifierStore.OpenOrCreate(_folder);
        var faults = new FaultState();
        faults.Set(FaultFileParser.Parse(fault is null ? "{}" : $$"""{"node-001": ["{{fault}}"]}"""));
        var source = new SimulatedEvidenceSource(device, "node-001", GpuModelCatalog.B200, 8, faults, format, verifiers);
        var nonces = new NonceCodec(RandomNumberGenerator.GetBytes(32));

        // The verifiers the control plane is told to trust, read back from what `verifier-issuers` prints.
        var settings = SimulatedVerifierStore.IssuerSettings(_folder, 0).Select(line => line.TrimStart('-').Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        var trusted = Enumerable.Range(0, 3).Select(i => new ResultVerifierTrust(
            settings[$"FactoryMesh:Attestation:Issuers:{i}:Format"],
            settings[$"FactoryMesh:Attestation:Issuers:{i}:Issuer"],
            null,
            new Microsoft.IdentityModel.Tokens.JsonWebKeySet(File.ReadAllText(settings[$"FactoryMesh:Attestation:Issuers:{i}:JwksPath"])),
            [],
            settings[$"FactoryMesh:Attestation:Issuers:{i}:Format"] == EvidenceFormats.ItaJwt ? "attester_runtime_data/nonce" : "eat_nonce",
            settings[$"FactoryMesh:Attestation:Issuers:{i}:Format"] == EvidenceFormats.NvidiaEat ? NonceBinding.Sha256Hex : NonceBinding.Exact,
            settings[$"FactoryMesh:Attestation:Issuers:{i}:Format"] == EvidenceFormats.ItaJwt ? "attester_runtime_data/tee_pubkey" : string.Empty,
            false,
            TimeSpan.FromMinutes(5))).ToList();
        var skew = TimeSpan.FromMinutes(1);
        IEvidenceVerifier[] formats =
        [
            new NvidiaEatVerifier(trusted.Where(t => t.Format == EvidenceFormats.NvidiaEat), skew),
            new EarVerifier(trusted.Where(t => t.Format == EvidenceFormats.EarJwt), skew),
            new ItaVerifier(trusted.Where(t => t.Format == EvidenceFormats.ItaJwt), skew),
        ];
        var attestor = new Attestor([.. formats, new CompositeVerifier(formats)], AppraisalPolicy.Parse(SimulatedMeasurements.AppraisalPolicyJson()), new HashSet<string> { "TDX" }, nonces);
        var now = DateTimeOffset.UtcNow;
        var nonce = nonces.Issue("s-1/node-001", now.AddMinutes(2));

        var evidence = await source.CreateAsync("s-1/node-001", nonce, CancellationToken.None);
        var verdict = await attestor.JudgeAsync(new AttestationRequest(
            "s-1/node-001", SimulatedResultFormat.TeeKindOf(format), 8, source.Format, evidence, nonce, new HashSet<string>(), now, GpuModelCatalog.B200.Name));

        Assert.True(expected == verdict.FailedCheck, $"{verdict.FailedCheck}: {verdict.Detail}");
        Assert.True(verdict.Bound);
        Assert.Equal(9, verdict.Evidence!.Components.Count); // the CPU and eight GPUs
        Assert.Contains(device.TeePublicJwk["x"]!.GetValue<string>(), verdict.Evidence.TeePublicKeyJwk, StringComparison.Ordinal);
    }
}
