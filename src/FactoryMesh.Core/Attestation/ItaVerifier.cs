using System.Text.Json;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Verifies <c>ita-jwt</c>: an Intel Trust Authority attestation token under its pinned JWKS. Its TDX claims are at
/// the top (a TDX-only token, <c>attester_type: "TDX"</c>) or in a <c>tdx</c> part beside an <c>nvgpu</c> part (the
/// composite <c>tdx+nvgpu</c> token). The TDX part becomes the CPU component: <c>attester_tcb_status</c> for the
/// appraisal policy's allowed TCB statuses, <c>tdx_is_debuggable</c>/<c>dbgstat</c> for debug, and <c>tdx_mrtd</c>,
/// <c>tdx_rtmr0</c>…<c>3</c> as measurements; each <c>nvgpu</c> entry is appraised as NVIDIA's GPU claims are. The
/// challenge and TEE key are found where the attester put them, by default in its runtime data (hashed into the
/// TD's REPORTDATA, so the verifier vouches for them).
/// </summary>
public sealed class ItaVerifier(IEnumerable<ResultVerifierTrust> trusted, TimeSpan clockSkew) : ResultTokenVerifier(trusted, clockSkew)
{
    private const int MaxGpus = 64;
    private static readonly (string Claim, string Measurement)[] TdxMeasurements =
        [("tdx_mrtd", "mrtd"), ("tdx_rtmr0", "rtmr0"), ("tdx_rtmr1", "rtmr1"), ("tdx_rtmr2", "rtmr2"), ("tdx_rtmr3", "rtmr3")];

    /// <inheritdoc />
    public override string Format => EvidenceFormats.ItaJwt;

    /// <inheritdoc />
    protected override VerificationResult Read(SignedResultToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var claims = token.Claims;
        var tdx = claims.TryGetProperty("tdx", out var part) && part.ValueKind == JsonValueKind.Object ? part
            : ClaimPath.Text(claims, "attester_type") == "TDX" ? claims
            : default;
        if (tdx.ValueKind != JsonValueKind.Object)
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, "the token has no TDX part");
        }

        var nonce = ClaimPath.Text(tdx, token.Trust.NonceClaim) ?? ClaimPath.Text(claims, token.Trust.NonceClaim);
        if (nonce is null)
        {
            return VerificationResult.Failed(AppraisalCheck.NonceForged, $"the token carries no '{token.Trust.NonceClaim}'");
        }

        var components = new List<ComponentEvidence> { Cpu(tdx) };
        ClaimRefusal? refusal = null;
        var gpus = claims.TryGetProperty("nvgpu", out var nvgpu) ? nvgpu.ValueKind switch
        {
            JsonValueKind.Object => [nvgpu],
            JsonValueKind.Array => nvgpu.EnumerateArray().ToArray(),
            _ => null,
        } : [];
        if (gpus is null || gpus.Length > MaxGpus || gpus.Any(g => g.ValueKind != JsonValueKind.Object))
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, $"nvgpu must be one object or an array of at most {MaxGpus}");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < gpus.Length; index++)
        {
            var (gpu, gpuRefusal) = NvidiaDeviceClaims.Appraise(gpus[index], $"nvgpu{index}", isSwitch: false, token.Trust.AllowCertHold, Format);
            if (!ids.Add(gpu.Id))
            {
                return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, "a GPU is attested twice");
            }

            components.Add(gpu);
            refusal ??= gpuRefusal;
        }

        return VerificationResult.Verified(new VerifiedEvidence(
            NodeId: null,
            nonce,
            "TDX",
            TeeKeyClaim.Read(tdx, token.Trust.TeePublicKeyClaim) ?? TeeKeyClaim.Read(claims, token.Trust.TeePublicKeyClaim),
            components,
            token.ExpiresAt,
            CertificateThumbprints: [],
            CertificateSerials: [],
            GpuNonces: new Dictionary<string, string>(),
            GpuCount: gpus.Length,
            refusal,
            token.Trust.NonceBinding));
    }

    private static ComponentEvidence Cpu(JsonElement tdx)
    {
        var measurements = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (claim, measurement) in TdxMeasurements)
        {
            if (ClaimPath.Text(tdx, claim) is { } value)
            {
                measurements[measurement] = value;
            }
        }

        // Either statement of debug counts: debug is off only when one says so and neither says it is on.
        bool? debuggable = tdx.TryGetProperty("tdx_is_debuggable", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False ? flag.GetBoolean() : null;
        bool? dbgstat = ClaimPath.Text(tdx, "dbgstat") switch { "disabled" => false, "enabled" => true, _ => null };
        bool? debug = debuggable == true || dbgstat == true ? true : debuggable == false || dbgstat == false ? false : null;
        return new ComponentEvidence("cpu", "tdx", measurements, CcModeOn: null, debug, Model: "TDX", TcbStatus: ClaimPath.Text(tdx, "attester_tcb_status") ?? string.Empty, Format: EvidenceFormats.ItaJwt);
    }
}
