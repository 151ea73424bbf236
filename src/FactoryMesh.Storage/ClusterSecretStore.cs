using System.Data;

namespace FactoryMesh.Storage;

/// <summary>
/// The <c>ClusterSecret</c> table: named, already sealed values with a version that counts replacements. It never sees
/// a secret in clear (<see cref="ClusterSecrets"/> seals and opens); creation keeps the first write of a name, and a
/// replacement succeeds only from the version the writer read, so concurrent silos never overwrite each other. Rows
/// belong to one cluster (<paramref name="serviceId"/>): clusters sharing a database keep separate secrets.
/// </summary>
public sealed class ClusterSecretStore(StorageEngine engine, string connectionString, string serviceId)
{
    /// <summary>The row named <paramref name="name"/>, or null.</summary>
    public async Task<StoredSecret?> ReadAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await StorageCommands.OpenAsync(engine, connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Name, Version, Sealed FROM ClusterSecret WHERE ServiceId = @ServiceId AND Name = @Name";
        command.Add("ServiceId", serviceId);
        command.Add("Name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredSecret(reader.GetString(0), reader.GetInt64(1), (byte[])reader[2]) : null;
    }

    /// <summary>Every row whose name starts with <paramref name="prefix"/>, by name.</summary>
    public async Task<IReadOnlyList<StoredSecret>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        await using var connection = await StorageCommands.OpenAsync(engine, connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        // substr rather than LIKE: a prefix holding % or _ must match literally.
        command.CommandText = "SELECT Name, Version, Sealed FROM ClusterSecret WHERE ServiceId = @ServiceId AND substr(Name, 1, @Length) = @Prefix ORDER BY Name";
        command.Add("ServiceId", serviceId);
        command.Add("Length", prefix.Length);
        command.Add("Prefix", prefix);
        var rows = new List<StoredSecret>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredSecret(reader.GetString(0), reader.GetInt64(1), (byte[])reader[2]));
        }

        return rows;
    }

    /// <summary>Stores <paramref name="sealedValue"/> as version 1 of <paramref name="name"/>; false when the name exists (nothing changes).</summary>
    public async Task<bool> TryCreateAsync(string name, byte[] sealedValue, CancellationToken cancellationToken = default)
    {
        await using var connection = await StorageCommands.OpenAsync(engine, connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO ClusterSecret (ServiceId, Name, Version, Sealed, UpdatedAtUnixMs) VALUES (@ServiceId, @Name, 1, @Sealed, @At) ON CONFLICT (ServiceId, Name) DO NOTHING";
        command.Add("ServiceId", serviceId);
        command.Add("Name", name);
        command.Add("Sealed", sealedValue, DbType.Binary);
        command.Add("At", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Replaces <paramref name="name"/> if it is still at <paramref name="expectedVersion"/>; false when another writer moved it first.</summary>
    public async Task<bool> TryReplaceAsync(string name, long expectedVersion, byte[] sealedValue, CancellationToken cancellationToken = default)
    {
        await using var connection = await StorageCommands.OpenAsync(engine, connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "UPDATE ClusterSecret SET Version = Version + 1, Sealed = @Sealed, UpdatedAtUnixMs = @At WHERE ServiceId = @ServiceId AND Name = @Name AND Version = @Expected";
        command.Add("ServiceId", serviceId);
        command.Add("Name", name);
        command.Add("Expected", expectedVersion);
        command.Add("Sealed", sealedValue, DbType.Binary);
        command.Add("At", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}

/// <summary>One row of <see cref="ClusterSecretStore"/>.</summary>
/// <param name="Name">The secret's name.</param>
/// <param name="Version">1 when created, one more per replacement.</param>
/// <param name="Sealed">The sealed value.</param>
public sealed record StoredSecret(string Name, long Version, byte[] Sealed);
