using System.Security.Claims;
using FactoryMesh.Core.Attestation;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Validation;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Server.Hosting;
using FactoryMesh.Server.Security;
using FactoryMesh.Contracts.Attestation;
using FactoryMesh.Contracts.Http;
using FactoryMesh.Server.Telemetry;

namespace FactoryMesh.Server.Api;

/// <summary>Challenges, evidence, and revocation of nodes and device certificates.</summary>
public static class AttestationApi
{
    /// <summary>The longest reason accepted, characters.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapAttestationApi(this IEndpointRouteBuilder app)
    {
        var nodes = app.MapGroup("/nodes/{nodeId}").WithTags("Attestation");
        nodes.MapPost("/attestation/challenge", ChallengeAsync).RequireAuthorization(Policies.SiteAgent).RequireRateLimiting(RateLimits.Attestation);
        nodes.MapPost("/attestation", AttestAsync).RequireAuthorization(Policies.SiteAgent).RequireRateLimiting(RateLimits.Attestation).WithBodyLimit(RequestBodyLimit.Evidence);
        nodes.MapPost("/revoke", RevokeNodeAsync).RequireAuthorization(Policies.Operator);
        app.MapPost("/attestation/revocations", RevokeCertificateAsync).WithTags("Attestation").RequireAuthorization(Policies.Operator);
        return app;
    }

    private static async Task<IResult> ChallengeAsync(string nodeId, ClaimsPrincipal caller, IGrainFactory grains)
    {
        var id = RouteNames.NodeIdFrom(nodeId)!.Value;
        return await FleetLookup.NodeExistsAsync(grains, id) && await grains.GetGrain<INodeGrain>(id.ToString()).IssueChallengeAsync() is { } challenge
            ? TypedResults.Ok(new Contracts.Http.AttestationChallenge(challenge.Nonce, challenge.ExpiresAt))
            : Problems.NotFound($"Node '{id}' does not exist.");
    }

    private static async Task<IResult> AttestAsync(string nodeId, EvidenceSubmission body, ClaimsPrincipal caller, IGrainFactory grains, FleetMetrics metrics)
    {
        var errors = new ValidationErrors();
        errors.AddIf(string.IsNullOrEmpty(body.Format), "format", $"Required: one of {string.Join(", ", EvidenceFormats.All.Order(StringComparer.Ordinal))}.");
        errors.AddIf(string.IsNullOrEmpty(body.Evidence), "evidence", "Required: the compact JWS or JWT, or the JSON text of a bundle or composite.");
        errors.AddIf(body.Evidence?.Length > ApiLimits.MaxEvidenceLength, "evidence", $"At most {ApiLimits.MaxEvidenceLength} characters.");
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        var id = RouteNames.NodeIdFrom(nodeId)!.Value;
        var outcome = await FleetLookup.NodeExistsAsync(grains, id) ? await grains.GetGrain<INodeGrain>(id.ToString()).AttestAsync(body.Format!, body.Evidence!, Actor(caller)) : null;
        if (outcome is null)
        {
            return Problems.NotFound($"Node '{id}' does not exist.");
        }

        metrics.RecordAppraisal(outcome.FailedCheck.ToString());
        if (outcome.FailedCheck != AppraisalCheck.None)
        {
            return TypedResults.Problem(
                outcome.Detail,
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: outcome.Trust.State == FactoryMesh.Core.Trust.TrustState.Untrusted
                    ? "The evidence was not accepted; the node is Untrusted."
                    : "The evidence was refused before appraisal; the node's trust is unchanged.",
                extensions: new Dictionary<string, object?> { [ProblemExtensions.Check] = outcome.FailedCheck.ToString(), [ProblemExtensions.Trust] = outcome.Trust.ToReport() });
        }

        return TypedResults.Ok(outcome.Trust.ToReport());
    }

    private static async Task<IResult> RevokeNodeAsync(string nodeId, NodeRevocationBody body, ClaimsPrincipal caller, IGrainFactory grains)
    {
        if (RouteNames.NodeIdFrom(nodeId) is not { } id)
        {
            return Problems.Invalid("nodeId", $"Must be a URL-encoded node id: {NodeId.Rule}.");
        }

        if (ReasonError(body.Reason) is { } invalid)
        {
            return invalid;
        }

        return await FleetLookup.NodeExistsAsync(grains, id) && await grains.GetGrain<INodeGrain>(id.ToString()).RevokeAsync(body.Reason!, Actor(caller)) is { } trust
            ? TypedResults.Ok(trust)
            : Problems.NotFound($"Node '{id}' does not exist.");
    }

    private static async Task<IResult> RevokeCertificateAsync(CertificateRevocationBody body, ClaimsPrincipal caller, IGrainFactory grains)
    {
        var errors = new ValidationErrors();
        errors.AddIf(body.Certificate is null || body.Certificate.Length is < 2 or > 128 || !body.Certificate.All(char.IsAsciiHexDigit),
            "certificate", "Required: the certificate's SHA-256 thumbprint or serial number, in hex.");
        errors.AddIf(string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > MaxReasonLength, "reason", $"Required, at most {MaxReasonLength} characters.");
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        var untrusted = await grains.GetGrain<ICertificateRevocationGrain>(ICertificateRevocationGrain.Key).RevokeAsync(body.Certificate!, body.Reason!, Actor(caller));
        return TypedResults.Ok(new CertificateRevocationResult(body.Certificate!.ToUpperInvariant(), untrusted));
    }

    private static IResult? ReasonError(string? reason) =>
        string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength
            ? Problems.Invalid("reason", $"Required, at most {MaxReasonLength} characters.")
            : null;

    private static string Actor(ClaimsPrincipal caller) => caller.FindFirstValue(FleetClaims.Subject) ?? "unknown";
}
