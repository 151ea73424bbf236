using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Validation;

namespace FactoryMesh.Server.Api;

/// <summary>
/// Body of <c>PUT /api/v1/sites/{siteId}/nodes/{nodeId}</c>. <see cref="Epoch"/> is optional: an agent that
/// sends the epoch it holds is refused when a newer registration has superseded it.
/// </summary>
public sealed record NodeRequest(
    string? GpuModel,
    int? GpuCount,
    double? GpuMemoryGiB,
    string? TeeKind,
    double? PowerWatts,
    double? CostUsdPerHour,
    long? Epoch)
{
    /// <summary>The inventory, or null with the reasons in <paramref name="errors"/>.</summary>
    public NodeInventory? ToInventory(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(GpuModel is null, "gpuModel", "Required.");
        errors.AddIf(GpuCount is null, "gpuCount", "Required.");
        errors.AddIf(GpuMemoryGiB is null, "gpuMemoryGiB", "Required.");
        errors.AddIf(TeeKind is null, "teeKind", "Required.");
        errors.AddIf(PowerWatts is null, "powerWatts", "Required.");
        errors.AddIf(CostUsdPerHour is null, "costUsdPerHour", "Required.");
        errors.AddIf(Epoch is < 0, "epoch", "Must not be negative.");
        if (!errors.IsValid)
        {
            return null;
        }

        var inventory = new NodeInventory(GpuModel!, GpuCount!.Value, GpuMemoryGiB!.Value, TeeKind!, PowerWatts!.Value, CostUsdPerHour!.Value);
        inventory.Validate(errors);
        return errors.IsValid ? inventory : null;
    }
}
