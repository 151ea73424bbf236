namespace FactoryMesh.Storage;

/// <summary>What each engine is called by Orleans' ADO.NET providers.</summary>
public static class StorageEngineExtensions
{
    /// <summary>
    /// The ADO.NET invariant Orleans resolves the provider factory by. Orleans 10 maps
    /// <c>System.Data.SQLite</c> to Microsoft.Data.Sqlite, and <c>Npgsql</c> to Npgsql.
    /// </summary>
    public static string AdoNetInvariant(this StorageEngine engine) => engine switch
    {
        StorageEngine.Sqlite => "System.Data.SQLite",
        StorageEngine.PostgreSql => "Npgsql",
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown storage engine."),
    };
}
