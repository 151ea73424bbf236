using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Validation;

namespace FactoryMesh.Server.Api;

/// <summary>
/// One node of <c>POST /api/v1/sites/{siteId}/nodes</c>: its id (a name, or a node id of the site) and the fields of
/// the single-node <c>PUT</c>; with <see cref="ExpectedEpoch"/>, refused when a newer registration superseded it.
/// </summary>
public sealed record NodeBatchItem(
    string? NodeId,
    string? GpuModel,
    int? GpuCount,
    double? GpuMemoryGiB,
    string? TeeKind,
    double? PowerWatts,
    double? CostUsdPerHour,
    long? ExpectedEpoch)
{
    /// <summary>The inventory, or null with the reasons in <paramref name="errors"/> under <paramref name="path"/>.</summary>
    public NodeInventory? ToInventory(ValidationErrors errors, string path)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var own = new ValidationErrors();
        var inventory = new NodeRequest(GpuModel, GpuCount, GpuMemoryGiB, TeeKind, PowerWatts, CostUsdPerHour, ExpectedEpoch).ToInventory(own);
        foreach (var (field, messages) in own.ToDictionary())
        {
            foreach (var message in messages)
            {
                errors.Add(path + (field == "epoch" ? "expectedEpoch" : field), message);
            }
        }

        return inventory;
    }
}
