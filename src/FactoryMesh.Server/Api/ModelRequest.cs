using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Validation;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Server.Api;

/// <summary>Body of <c>PUT /api/v1/tenants/{tenantId}/models/{modelId}</c>.</summary>
public sealed record ModelRequest(
    double? GpuMemoryGiB,
    IReadOnlyDictionary<string, double>? TokensPerSecondByGpu,
    int? Replicas,
    int? MinSites,
    ArtifactRequest? Artifact)
{
    /// <summary>The spec and artifact, or null with the reasons in <paramref name="errors"/>.</summary>
    public (ModelSpec Spec, ModelArtifact? Artifact)? ToModel(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(GpuMemoryGiB is null, "gpuMemoryGiB", "Required.");
        errors.AddIf(TokensPerSecondByGpu is null, "tokensPerSecondByGpu", "Required: tokens per second by GPU model, e.g. {\"H100\": 2400}.");
        errors.AddIf(Replicas is null, "replicas", "Required.");
        var artifact = Artifact?.ToArtifact(errors);
        if (!errors.IsValid)
        {
            return null;
        }

        var spec = new ModelSpec(GpuMemoryGiB!.Value, TokensPerSecondByGpu!, Replicas!.Value, MinSites ?? 1);
        spec.Validate(errors);
        return errors.IsValid ? (spec, artifact) : null;
    }
}

/// <summary>The encrypted artifact in a model request.</summary>
public sealed record ArtifactRequest(string? Uri, string? Sha256, string? WrappedKey)
{
    /// <summary>The artifact, or null with the reasons in <paramref name="errors"/>.</summary>
    public ModelArtifact? ToArtifact(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(!System.Uri.TryCreate(Uri, UriKind.Absolute, out _) || Uri!.Length > 2048, "artifact.uri", "Required: an absolute URI of at most 2048 characters.");
        errors.AddIf(Sha256 is not { Length: 64 } || !Sha256.All(char.IsAsciiHexDigit), "artifact.sha256", "Required: 64 hex digits.");
        errors.AddIf(string.IsNullOrEmpty(WrappedKey) || WrappedKey.Length > 4096, "artifact.wrappedKey", "Required: the wrapped data key, at most 4096 characters.");
        return errors.IsValid ? new ModelArtifact(Uri!, Sha256!.ToLowerInvariant(), WrappedKey!) : null;
    }
}
