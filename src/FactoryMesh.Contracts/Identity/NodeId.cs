using System.Diagnostics.CodeAnalysis;

namespace FactoryMesh.Contracts.Identity;

/// <summary>A GPU node's identity: <c>{siteId}/{name}</c>, e.g. <c>eu-fra-1/node-007</c>.</summary>
/// <param name="SiteId">The site the node belongs to; it is part of the id, so a node never changes site.</param>
/// <param name="Name">The node's name within its site.</param>
public readonly record struct NodeId(string SiteId, string Name)
{
    /// <summary>What a valid node id looks like, for error messages.</summary>
    public const string Rule = "'{siteId}/{name}', each part " + ResourceName.Rule;

    /// <summary>Parses <c>{siteId}/{name}</c>; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out NodeId nodeId)
    {
        nodeId = default;
        if (value is null)
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return false;
        }

        var siteId = value[..slash];
        var name = value[(slash + 1)..];
        if (!ResourceName.IsValid(siteId) || !ResourceName.IsValid(name))
        {
            return false;
        }

        nodeId = new NodeId(siteId, name);
        return true;
    }

    /// <summary>Parses <c>{siteId}/{name}</c> or throws <see cref="FormatException"/>.</summary>
    public static NodeId Parse(string value) =>
        TryParse(value, out var nodeId) ? nodeId : throw new FormatException($"'{value}' is not a node id: expected {Rule}.");

    /// <inheritdoc />
    public override string ToString() => $"{SiteId}/{Name}";
}
