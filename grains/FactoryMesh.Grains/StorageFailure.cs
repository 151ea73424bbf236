using System.Data.Common;
using Orleans.Serialization;

namespace FactoryMesh.Grains;

/// <summary>Recognizes a failure of the database behind grain storage, wherever in an exception's chain it sits.</summary>
public static class StorageFailure
{
    /// <summary>True when <paramref name="exception"/> is, wraps or aggregates an ADO.NET provider's error.</summary>
    public static bool IsStorageFailure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // Across silos a provider's exception may arrive as a stand-in naming its type (see AddFleetGrains).
            if (current is DbException || (current is UnavailableExceptionFallbackException { ExceptionType: { } type } && IsProviderType(type)))
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsStorageFailure))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsProviderType(string typeName) =>
        typeName.StartsWith("Npgsql.", StringComparison.Ordinal) || typeName.StartsWith("Microsoft.Data.Sqlite.", StringComparison.Ordinal);
}
