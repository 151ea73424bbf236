namespace FactoryMesh.SiteAgent.Sites;

/// <summary>A site file that cannot be used, with every problem found in it.</summary>
public sealed class InvalidSiteFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidSiteFileException()
    {
        Problems = [];
    }

    /// <summary>Creates the exception with one message.</summary>
    public InvalidSiteFileException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception wrapping <paramref name="inner"/>.</summary>
    public InvalidSiteFileException(string message, Exception inner)
        : base(message, inner)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception for <paramref name="source"/> with its <paramref name="problems"/>.</summary>
    public InvalidSiteFileException(string source, IReadOnlyList<string> problems)
        : base($"The site file {source} is not valid: {string.Join(" ", problems)}")
    {
        Problems = problems;
    }

    /// <summary>Each problem, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
