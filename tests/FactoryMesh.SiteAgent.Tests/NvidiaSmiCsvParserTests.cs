using FactoryMesh.SiteAgent.Hardware;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>nvidia-smi's CSV as the agent queries it, in the shapes the tool prints it.</summary>
public sealed class NvidiaSmiCsvParserTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    [Fact]
    public void An_eight_way_H100_host_reads_with_units_dropped()
    {
        var gpus = NvidiaSmiCsvParser.Parse(Sample("nvidia-smi-h100x8.csv"));

        Assert.Equal(8, gpus.Count);
        Assert.Equal(Enumerable.Range(0, 8), gpus.Select(g => g.Index));
        var first = gpus[0];
        Assert.Equal("GPU-4f1d2a7c-8e3b-5a90-b6c1-2d7e9f0a1b3c", first.Uuid);
        Assert.Equal("NVIDIA H100 80GB HBM3", first.Name);
        Assert.Equal(81559, first.MemoryTotalMiB);
        Assert.Equal(61440, first.MemoryUsedMiB);
        Assert.Equal(87, first.UtilizationPercent);
        Assert.Equal(612.45, first.PowerDrawWatts);
        Assert.Equal(700, first.PowerLimitWatts);
        Assert.All(gpus, g => Assert.Equal("H100", GpuModelNames.FromMarketingName(g.Name)));
    }

    [Fact]
    public void Output_without_header_or_units_follows_the_query_order_and_N_A_reads_as_missing()
    {
        var gpus = NvidiaSmiCsvParser.Parse(Sample("nvidia-smi-a100-noheader-nounits.csv"));

        Assert.Equal(2, gpus.Count);
        Assert.Equal(81920, gpus[1].MemoryTotalMiB);
        Assert.Equal(61, gpus[1].UtilizationPercent);
        Assert.Null(gpus[1].PowerDrawWatts);
        Assert.Equal(400, gpus[1].PowerLimitWatts);
        Assert.Equal("A100", GpuModelNames.FromMarketingName(gpus[0].Name));
    }

    [Fact]
    public void Columns_are_found_by_header_name_in_any_order()
    {
        var gpus = NvidiaSmiCsvParser.Parse(Sample("nvidia-smi-reordered.csv"));

        Assert.Equal([0, 1], gpus.Select(g => g.Index));
        Assert.Equal("NVIDIA B200", gpus[0].Name);
        Assert.Equal(183359, gpus[0].MemoryTotalMiB);
        Assert.Null(gpus[0].PowerDrawWatts); // [Not Supported]
        Assert.Equal(512.5, gpus[1].PowerDrawWatts);
        Assert.Equal(1000, gpus[1].PowerLimitWatts);
    }

    [Fact]
    public void Empty_output_is_no_GPU_and_broken_output_is_refused_with_a_reason()
    {
        Assert.Empty(NvidiaSmiCsvParser.Parse("\n"));
        Assert.Throws<FormatException>(() => NvidiaSmiCsvParser.Parse("index, uuid, name\n0, GPU-1"));
        Assert.Throws<FormatException>(() => NvidiaSmiCsvParser.Parse("index, power.draw [W]\n0, 10 W"));
        Assert.Equal("--query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu,power.draw,power.limit", NvidiaSmiCsvParser.QueryArgument);
    }

    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3", "H100")]
    [InlineData("NVIDIA H100 PCIe", "H100")]
    [InlineData("NVIDIA H200", "H200")]
    [InlineData("NVIDIA B200", "B200")]
    [InlineData("NVIDIA GH200 480GB", "GH200")]
    [InlineData("NVIDIA A100-SXM4-80GB", "A100")]
    [InlineData("NVIDIA L40S", "L40S")]
    [InlineData("NVIDIA L4", "L4")]
    [InlineData("NVIDIA GeForce RTX 4090", "GeForce-RTX-4090")]
    public void Marketing_names_become_the_model_names_the_control_plane_keys_throughput_by(string marketing, string model) =>
        Assert.Equal(model, GpuModelNames.FromMarketingName(marketing));
}
