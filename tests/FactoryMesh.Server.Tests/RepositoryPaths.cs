namespace FactoryMesh.Server.Tests;

/// <summary>Where things are in the checkout the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding FactoryMesh.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The server project, whose wwwroot holds the dashboard.</summary>
    public static string ServerProject => Path.Combine(Root, "src", "FactoryMesh.Server");

    /// <summary>Where tests leave artifacts (screenshots) for people to look at; ignored by git.</summary>
    public static string Artifacts => Directory.CreateDirectory(Path.Combine(Root, "artifacts", "test-screenshots")).FullName;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FactoryMesh.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No FactoryMesh.sln above {AppContext.BaseDirectory}.");
    }
}
