using System.Data;
using System.Data.Common;

namespace FactoryMesh.Storage;

/// <summary>The plain ADO.NET the project's own tables are read and written with, on either engine.</summary>
internal static class StorageCommands
{
    /// <summary>An open connection of <paramref name="engine"/>'s provider.</summary>
    public static async Task<DbConnection> OpenAsync(StorageEngine engine, string connectionString, CancellationToken cancellationToken)
    {
        var connection = SchemaInstaller.OpenConnection(engine, connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds the parameter <c>@<paramref name="name"/></c>; <paramref name="type"/> where a null leaves the provider guessing.</summary>
    public static void Add(this DbCommand command, string name, object value, DbType? type = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        if (type is { } dbType)
        {
            parameter.DbType = dbType;
        }

        command.Parameters.Add(parameter);
    }
}
