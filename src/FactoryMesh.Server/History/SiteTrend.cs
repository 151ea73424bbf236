namespace FactoryMesh.Server.History;

/// <summary>A site's samples over a window, oldest first.</summary>
/// <param name="SiteId">The site.</param>
/// <param name="Samples">Its figures at each reading.</param>
public sealed record SiteTrend(string SiteId, IReadOnlyList<SiteSample> Samples);
