namespace FactoryMesh.Storage;

/// <summary>The relational engines FactoryMesh keeps its grain state, reminders and audit log in.</summary>
public enum StorageEngine
{
    /// <summary>The embedded default: one SQLite file in the data folder, one silo.</summary>
    Sqlite,

    /// <summary>Cluster mode: PostgreSQL shared by every silo, which also holds cluster membership.</summary>
    PostgreSql,
}
