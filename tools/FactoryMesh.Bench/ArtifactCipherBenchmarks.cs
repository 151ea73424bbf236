using System.Globalization;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using FactoryMesh.Core.Keys;
using FactoryMesh.Contracts.Artifacts;

namespace FactoryMesh.Bench;

/// <summary>
/// Throughput of sealing and opening a 64 MiB model artifact file to file (1 MiB chunks, SHA-256 of the plaintext
/// on the way through), against a plain copy of the same file through the same kind of streams in the same run:
/// the floor any artifact pipeline pays for reading and writing the bytes. MiB/s is the file size over the median.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(ThroughputConfig))]
public class ArtifactCipherBenchmarks
{
    /// <summary>The plaintext file's size.</summary>
    public const int FileSize = 64 << 20;

    private string _directory = null!;
    private string _plainPath = null!;
    private string _sealedPath = null!;
    private string _outputPath = null!;
    private byte[] _dataKey = null!;
    private string _sha256 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"factorymesh-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        _plainPath = Path.Combine(_directory, "weights.bin");
        _sealedPath = Path.Combine(_directory, "weights.fma");
        _outputPath = Path.Combine(_directory, "output.bin");
        _dataKey = RandomNumberGenerator.GetBytes(ArtifactCipher.DataKeySize);

        // Random bytes: weights do not compress, and neither should the benchmark's input.
        File.WriteAllBytes(_plainPath, RandomNumberGenerator.GetBytes(FileSize));
        using var plain = Open(_plainPath);
        using var sealedFile = Create(_sealedPath);
        _sha256 = ArtifactCipher.EncryptAsync(plain, sealedFile, _dataKey).GetAwaiter().GetResult().PlaintextSha256;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true, Description = "file copy (baseline)")]
    public async Task Copy()
    {
        using var source = Open(_plainPath);
        using var destination = Create(_outputPath);
        await source.CopyToAsync(destination, ArtifactCipher.DefaultChunkSize);
    }

    [Benchmark(Description = "encrypt (AES-256-GCM + SHA-256)")]
    public async Task<ArtifactEncryptionResult> Encrypt()
    {
        using var source = Open(_plainPath);
        using var destination = Create(_outputPath);
        return await ArtifactCipher.EncryptAsync(source, destination, _dataKey);
    }

    [Benchmark(Description = "decrypt (AES-256-GCM + SHA-256)")]
    public async Task<string> Decrypt()
    {
        using var source = Open(_sealedPath);
        using var destination = Create(_outputPath);
        var digest = await ArtifactCipher.DecryptAsync(source, destination, _dataKey);
        return digest == _sha256 ? digest : throw new InvalidOperationException("The benchmark's artifact decrypted to other bytes.");
    }

    // Unbuffered streams for all three: every call moves a whole chunk, so FileStream's own buffer would only add a copy.
    private static FileStream Open(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, BufferSize = 0, Options = FileOptions.SequentialScan });

    private static FileStream Create(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 0 });

    /// <summary>Adds the MiB/s column to this class's summary.</summary>
    public sealed class ThroughputConfig : ManualConfig
    {
        /// <summary>The config BenchmarkDotNet instantiates.</summary>
        public ThroughputConfig() => AddColumn(new ThroughputColumn());
    }

    /// <summary>MiB of plaintext per second at the median time.</summary>
    public sealed class ThroughputColumn : IColumn
    {
        /// <inheritdoc/>
        public string Id => nameof(ThroughputColumn);

        /// <inheritdoc/>
        public string ColumnName => "MiB/s (median)";

        /// <inheritdoc/>
        public bool AlwaysShow => true;

        /// <inheritdoc/>
        public ColumnCategory Category => ColumnCategory.Custom;

        /// <inheritdoc/>
        public int PriorityInCategory => 0;

        /// <inheritdoc/>
        public bool IsNumeric => true;

        /// <inheritdoc/>
        public UnitType UnitType => UnitType.Dimensionless;

        /// <inheritdoc/>
        public string Legend => $"{FileSize >> 20} MiB of plaintext over the median time";

        /// <inheritdoc/>
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        /// <inheritdoc/>
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            summary[benchmarkCase]?.ResultStatistics?.Median is { } nanoseconds and > 0
                ? ((FileSize >> 20) / (nanoseconds / 1e9)).ToString("N0", CultureInfo.InvariantCulture)
                : "-";

        /// <inheritdoc/>
        public bool IsAvailable(Summary summary) => true;

        /// <inheritdoc/>
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
