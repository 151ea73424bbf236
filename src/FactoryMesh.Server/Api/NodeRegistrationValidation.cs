using FactoryMesh.Contracts.Http;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Validation;

namespace FactoryMesh.Server.Api;

/// <summary>Turns the wire's registration records into the domain's inventory, naming every broken rule.</summary>
public static class NodeRegistrationValidation
{
    /// <summary>The inventory of a single-node registration, or null with the reasons in <paramref name="errors"/>.</summary>
    public static NodeInventory? ToInventory(this NodeRegistrationBody body, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(body.Epoch is < 0, "epoch", "Must not be negative.");
        return Inventory(body.GpuModel, body.GpuCount, body.GpuMemoryGiB, body.TeeKind, body.PowerWatts, body.CostUsdPerHour, errors, "");
    }

    /// <summary>The inventory of one batch item, or null with the reasons in <paramref name="errors"/> under <paramref name="path"/>.</summary>
    public static NodeInventory? ToInventory(this NodeRegistrationItem item, ValidationErrors errors, string path)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(item.ExpectedEpoch is < 0, path + "expectedEpoch", "Must not be negative.");
        return Inventory(item.GpuModel, item.GpuCount, item.GpuMemoryGiB, item.TeeKind, item.PowerWatts, item.CostUsdPerHour, errors, path);
    }

    private static NodeInventory? Inventory(
        string? gpuModel, int? gpuCount, double? gpuMemoryGiB, string? teeKind, double? powerWatts, double? costUsdPerHour, ValidationErrors errors, string path)
    {
        var own = new ValidationErrors();
        own.AddIf(gpuModel is null, "gpuModel", "Required.");
        own.AddIf(gpuCount is null, "gpuCount", "Required.");
        own.AddIf(gpuMemoryGiB is null, "gpuMemoryGiB", "Required.");
        own.AddIf(teeKind is null, "teeKind", "Required.");
        own.AddIf(powerWatts is null, "powerWatts", "Required.");
        own.AddIf(costUsdPerHour is null, "costUsdPerHour", "Required.");
        NodeInventory? inventory = null;
        if (own.IsValid)
        {
            inventory = new NodeInventory(gpuModel!, gpuCount!.Value, gpuMemoryGiB!.Value, teeKind!, powerWatts!.Value, costUsdPerHour!.Value);
            inventory.Validate(own);
        }

        foreach (var (field, messages) in own.ToDictionary())
        {
            foreach (var message in messages)
            {
                errors.Add(path + field, message);
            }
        }

        return own.IsValid && errors.IsValid ? inventory : null;
    }
}
