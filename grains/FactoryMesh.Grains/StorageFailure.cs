using System.Data.Common;

namespace FactoryMesh.Grains;

/// <summary>Recognizes a failure of the database behind grain storage, wherever in an exception's chain it sits.</summary>
public static class StorageFailure
{
    /// <summary>True when <paramref name="exception"/> is, wraps or aggregates an ADO.NET provider's error.</summary>
    public static bool IsStorageFailure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException)
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
}
