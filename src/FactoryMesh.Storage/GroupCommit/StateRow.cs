namespace FactoryMesh.Storage.GroupCommit;

/// <summary>One stored grain state as read back: its payload (null once cleared) and its version.</summary>
/// <param name="GrainId">Orleans' grain id text, <c>{type}/{key}</c>.</param>
/// <param name="Payload">The serialized state, or null for a cleared grain.</param>
/// <param name="Version">The optimistic-concurrency version, handed to Orleans as the ETag.</param>
internal sealed record StateRow(string GrainId, byte[]? Payload, long Version);
