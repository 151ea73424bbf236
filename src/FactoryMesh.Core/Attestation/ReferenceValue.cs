namespace FactoryMesh.Core.Attestation;

/// <summary>One allowed measurement value, allowed until <paramref name="ExpiresAt"/> (null: until removed).</summary>
public sealed record ReferenceValue(string Value, DateTimeOffset? ExpiresAt);
