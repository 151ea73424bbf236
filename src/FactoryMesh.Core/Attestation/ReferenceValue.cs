namespace FactoryMesh.Core.Attestation;

/// <summary>One allowed measurement value, allowed until <paramref name="ExpiresAt"/> (null: until removed).</summary>
/// <param name="Value">The value, compared without regard to case.</param>
/// <param name="ExpiresAt">When it stops being allowed.</param>
/// <param name="Version">What it is the measurement of (a driver release, a firmware build), for people and audit details.</param>
public sealed record ReferenceValue(string Value, DateTimeOffset? ExpiresAt, string? Version = null);
