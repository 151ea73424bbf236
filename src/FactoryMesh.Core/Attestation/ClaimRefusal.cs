namespace FactoryMesh.Core.Attestation;

/// <summary>A claim of verified evidence that fails appraisal: the check it fails and why, in words without secrets.</summary>
public sealed record ClaimRefusal(AppraisalCheck Check, string Detail);
