namespace FactoryMesh.Server.Security;

/// <summary>
/// The data folder and the secrets in it are for the server's OS user alone: the folder is 0700, every secret 0600,
/// and a secret another user could read is refused rather than used (it may already have been copied).
/// </summary>
public static class SecretFileModes
{
    private const UnixFileMode OthersAndGroup =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> as 0700, or narrows an existing folder to 0700.</summary>
    public static void EnsureOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(path, owner);
        if ((File.GetUnixFileMode(path) & OthersAndGroup) != 0)
        {
            File.SetUnixFileMode(path, owner);
        }
    }

    /// <summary>Throws when a user other than the owner may read or write <paramref name="path"/>.</summary>
    public static void EnsureOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & OthersAndGroup) != 0)
        {
            throw new InvalidOperationException(
                $"{path} is readable or writable by other users (mode {Convert.ToString((int)mode, 8)}); a secret must be 0600. " +
                "Treat it as exposed: replace it, or if it is known not to have leaked, run chmod 600 on it.");
        }
    }

    /// <summary>Creates an empty <paramref name="path"/> with mode 0600 unless it exists, so what opens it later keeps that mode.</summary>
    public static void PrecreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        using var _ = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }
}
