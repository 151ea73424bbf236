namespace FactoryMesh.Storage;

/// <summary>One embedded schema script: a name that orders it and the SQL it runs.</summary>
/// <param name="Name">File name, e.g. <c>002-grain-storage.sql</c>; scripts run in ordinal order of their names.</param>
/// <param name="Sql">The script text. Every statement in it is idempotent.</param>
public sealed record SchemaScript(string Name, string Sql)
{
    /// <summary>The script's SHA-256 (hex, lower case), which the database records when it runs it.</summary>
    public string Sha256 { get; } = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Sql)));

    /// <summary>The scripts of one engine, in the order they run.</summary>
    public static IReadOnlyList<SchemaScript> For(StorageEngine engine)
    {
        var assembly = typeof(SchemaScript).Assembly;
        var prefix = $"FactoryMesh.Storage.{engine}/";
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded script {resource} cannot be opened.");
            using var reader = new StreamReader(stream);
            scripts.Add(new SchemaScript(resource[prefix.Length..], reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return scripts;
    }
}
