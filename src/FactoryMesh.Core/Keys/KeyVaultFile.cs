using System.Security.Cryptography;
using System.Text.Json;

namespace FactoryMesh.Core.Keys;

/// <summary>
/// The one file holding every tenant's KEKs (<c>&lt;data&gt;/key-vault.json</c>), sealed with AES-256-GCM under the
/// vault's master key, so the file alone (a backup, a copy) opens nothing: read whole, written whole to a
/// temporary file with mode 0600 from the moment it exists, flushed to disk, then renamed over the old one, so a
/// crash leaves the old file or the new one and never half of either. Writers in other processes on the same folder
/// take <see cref="LockAsync"/> around read-modify-write, so two vaults creating different tenants' KEKs both keep theirs.
/// </summary>
internal sealed class KeyVaultFile
{
    /// <summary>The file's name in the data folder.</summary>
    public const string FileName = "key-vault.json";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly byte[] SealContext = "factorymesh/key-vault"u8.ToArray();
    private readonly string _lockPath;
    private readonly byte[] _masterKey;

    public KeyVaultFile(string dataDirectory, byte[] masterKey)
    {
        if (masterKey is not { Length: DataKeyWrap.KekSize })
        {
            throw new ArgumentException($"The vault's master key must be {DataKeyWrap.KekSize} bytes.", nameof(masterKey));
        }

        Path = System.IO.Path.Combine(dataDirectory, FileName);
        _lockPath = Path + ".lock";
        _masterKey = masterKey.ToArray();
    }

    /// <summary>True when the last <see cref="Read"/> found the KEKs in clear (a file written before vaults were sealed).</summary>
    public bool LastReadWasClear { get; private set; }

    /// <summary>The vault file's full path.</summary>
    public string Path { get; }

    /// <summary>The vault as on disk; empty when there is no file yet.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a vault: it is never replaced then, since it may hold the only copy of the KEKs.</exception>
    public KeyVaultDocument Read()
    {
        byte[] bytes;
        LastReadWasClear = false;
        try
        {
            RefuseIfOthersCanRead();
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return KeyVaultDocument.Empty();
        }

        byte[]? opened = null;
        try
        {
            opened = Open(bytes);
            LastReadWasClear = opened is null;
            var document = JsonSerializer.Deserialize<KeyVaultDocument>(opened ?? bytes, Json);
            var problem = document is null ? "it is empty" : Problem(document);
            return problem is null
                ? document! with { Tenants = new Dictionary<string, List<StoredKek>>(document.Tenants, StringComparer.Ordinal) }
                : throw Unreadable(problem, null);
        }
        catch (JsonException e)
        {
            throw Unreadable("it is not valid JSON", e);
        }
        catch (FormatException e)
        {
            throw Unreadable("its sealed contents are not base64", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            CryptographicOperations.ZeroMemory(opened);
        }
    }

    /// <summary>Replaces the file with <paramref name="document"/>, sealed, atomically and owner-only.</summary>
    public void Write(KeyVaultDocument document)
    {
        EnsureDirectory();
        var temporary = $"{Path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var clear = JsonSerializer.SerializeToUtf8Bytes(document, Json);
        var bytes = Seal(clear);
        CryptographicOperations.ZeroMemory(clear);
        try
        {
            using (var stream = new FileStream(temporary, OwnerOnlyOptions(FileMode.CreateNew, FileAccess.Write, FileShare.None)))
            {
                stream.Write(bytes);
                // Durable before the rename: after a power cut the rename must not point at a file whose KEKs never reached the disk.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Takes the vault's lock across processes: an exclusive lock on <c>key-vault.json.lock</c> (flock on Unix), held
    /// until the result is disposed. The lock file stays: deleting it would let two writers each lock a different file.
    /// </summary>
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        EnsureDirectory();
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(_lockPath, OwnerOnlyOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (File.Exists(_lockPath))
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new IOException($"Another process has held the key vault lock {_lockPath} for over {LockTimeout.TotalSeconds:0} s.", e);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // The sealed form: {"format": 2, "sealed": base64(nonce ‖ ciphertext ‖ tag)}, the file's purpose as associated data.
    private byte[] Seal(byte[] clear) =>
        JsonSerializer.SerializeToUtf8Bytes(new SealedVault(SealedVault.CurrentFormat, Convert.ToBase64String(SecretSeal.Seal(_masterKey, SealContext, clear))), Json);

    // The clear document inside a sealed file; null for a file written in clear before vaults were sealed (read as it
    // is, and sealed by the next write).
    private byte[]? Open(byte[] bytes)
    {
        var envelope = JsonSerializer.Deserialize<SealedVault>(bytes, Json);
        if (envelope?.Sealed is not { } text)
        {
            return null;
        }

        if (envelope.Format != SealedVault.CurrentFormat)
        {
            throw Unreadable($"its sealed format is {envelope.Format}, this code reads {SealedVault.CurrentFormat}", null);
        }

        try
        {
            return SecretSeal.Open(_masterKey, SealContext, Convert.FromBase64String(text));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw Unreadable("it does not open with the configured master key (another key, or the file was altered)", e);
        }
        catch (CryptographicException e)
        {
            throw Unreadable("its sealed contents are cut short", e);
        }
    }

    // Another user able to read the KEKs may already hold a copy: better to refuse than to go on using them.
    private void RefuseIfOthersCanRead()
    {
        if (OperatingSystem.IsWindows() || !File.Exists(Path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(Path);
        if ((mode & ~(OwnerOnly | UnixFileMode.UserExecute)) != 0)
        {
            throw new InvalidDataException(
                $"{Path} is readable or writable by other users (mode {Convert.ToString((int)mode, 8)}); the KEKs in it must be treated as exposed. " +
                "If it is known not to have leaked, run chmod 600 on it.");
        }
    }

    // New data folders are owner-only (0700), like the secrets in them; an existing folder keeps its mode.
    private void EnsureDirectory()
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static FileStreamOptions OwnerOnlyOptions(FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        return options;
    }

    // The JSON comes from disk, so the record's non-null promises are checked here rather than trusted.
    private static string? Problem(KeyVaultDocument document)
    {
        if (document.Format != KeyVaultDocument.CurrentFormat)
        {
            return $"its format is {document.Format}, this code reads {KeyVaultDocument.CurrentFormat}";
        }

        if (document.Tenants is null)
        {
            return "it has no tenants";
        }

        foreach (var (tenant, keks) in document.Tenants)
        {
            if (keks is null || keks.Count == 0 || keks.Any(k => k is null || k.Key is not { Length: DataKeyWrap.KekSize } || k.Version < 1)
                || keks.Select(k => k.Version).Distinct().Count() != keks.Count)
            {
                return $"tenant '{tenant}' has a missing, malformed or duplicated key";
            }
        }

        return null;
    }

    private InvalidDataException Unreadable(string problem, Exception? inner) =>
        new($"The key vault {Path} cannot be read: {problem}. It holds every tenant's key-encryption key; restore it from a backup rather than deleting it.", inner);
}
