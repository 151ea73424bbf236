namespace FactoryMesh.Grains;

/// <summary>
/// Reads the stored states of many grains at once, by the partition they were written under (a node's site).
/// The site grain rebuilds its index from one such scan instead of keeping a durable copy of every node's facts.
/// </summary>
public interface IGrainStatePartitions
{
    /// <summary>The grain key and stored state of every grain of <paramref name="partitionKey"/> that has a state.</summary>
    Task<IReadOnlyList<KeyValuePair<string, T>>> ReadPartitionAsync<T>(string partitionKey, CancellationToken cancellationToken);
}
