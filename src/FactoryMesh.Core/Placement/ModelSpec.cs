using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Validation;
using Orleans;

namespace FactoryMesh.Core.Placement;

/// <summary>What a model needs from the fleet: memory per replica, throughput by GPU model, how many replicas, how spread.</summary>
/// <param name="GpuMemoryGiB">GPU memory one replica needs, GiB; it takes as many whole GPUs as that fills.</param>
/// <param name="TokensPerSecondByGpu">Tokens per second one replica serves, by GPU model (<c>H100</c>); a GPU model not listed cannot host the model.</param>
/// <param name="Replicas">How many replicas to run, kept ones included.</param>
/// <param name="MinSites">The fewest distinct sites the replicas must span; 1 asks for no spread.</param>
[GenerateSerializer, Immutable]
public sealed record ModelSpec(
    [property: Id(0)] double GpuMemoryGiB,
    [property: Id(1)] IReadOnlyDictionary<string, double> TokensPerSecondByGpu,
    [property: Id(2)] int Replicas,
    [property: Id(3)] int MinSites)
{
    /// <summary>The most replicas one model may ask for.</summary>
    public const int MaxReplicas = 1024;

    /// <summary>The most GPU models a throughput table may list.</summary>
    public const int MaxGpuModels = 64;

    /// <summary>The most tokens per second one replica may claim: far above any real model, it only stops nonsense.</summary>
    public const double MaxTokensPerSecond = 1e9;

    /// <summary>The most memory one replica may ask for: every GPU of the largest node there can be.</summary>
    public const double MaxGpuMemoryGiB = NodeInventory.MaxGpuCount * 4096.0;

    /// <summary>Adds every broken rule to <paramref name="errors"/>, under the API's field names.</summary>
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(!double.IsFinite(GpuMemoryGiB) || GpuMemoryGiB <= 0 || GpuMemoryGiB > MaxGpuMemoryGiB, "gpuMemoryGiB",
            $"Must be more than 0 and at most {MaxGpuMemoryGiB} GiB.");
        errors.AddIf(TokensPerSecondByGpu.Count is 0 or > MaxGpuModels, "tokensPerSecondByGpu", $"Must list 1 to {MaxGpuModels} GPU models.");
        foreach (var (gpuModel, tokensPerSecond) in TokensPerSecondByGpu)
        {
            // The rule NodeInventory applies to gpuModel, so every name a model lists can match a node.
            errors.AddIf(!NodeInventory.IsGpuModelName(gpuModel), "tokensPerSecondByGpu", $"'{gpuModel}' is not a GPU model name: 1 to 32 letters, digits, '-' or '_'.");
            errors.AddIf(!double.IsFinite(tokensPerSecond) || tokensPerSecond <= 0 || tokensPerSecond > MaxTokensPerSecond,
                $"tokensPerSecondByGpu.{gpuModel}", $"Must be more than 0 and at most {MaxTokensPerSecond:0} tokens per second.");
        }

        errors.AddIf(Replicas is < 1 or > MaxReplicas, "replicas", $"Must be between 1 and {MaxReplicas}.");
        errors.AddIf(MinSites < 1 || MinSites > Math.Max(1, Replicas), "minSites", "Must be at least 1 and at most the number of replicas.");
    }
}
