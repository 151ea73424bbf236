namespace FactoryMesh.SiteAgent.Storage;

/// <summary>
/// Writes the agent's files whole or not at all (write a temporary file, then rename), so a crash or a second agent
/// never leaves half a key behind; secrets get mode 0600 from the moment they exist.
/// </summary>
internal static class AgentFiles
{
    /// <summary>Creates <paramref name="directory"/> (and parents); new folders are owner-only (0700).</summary>
    public static void EnsureDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Writes a secret to <paramref name="path"/> (mode 0600), replacing any file there.</summary>
    public static void WriteSecret(string path, string contents) => File.Move(WriteTemporary(path, contents, ownerOnly: true), path, overwrite: true);

    /// <summary>
    /// Writes a secret to <paramref name="path"/> (mode 0600) only if no file is there yet; false when another
    /// process got there first, whose file then stands.
    /// </summary>
    public static bool TryCreateSecret(string path, string contents)
    {
        var temporary = WriteTemporary(path, contents, ownerOnly: true);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    /// <summary>Writes a public file (a certificate) to <paramref name="path"/>, replacing any file there.</summary>
    public static void WritePublic(string path, string contents) => File.Move(WriteTemporary(path, contents, ownerOnly: false), path, overwrite: true);

    private static string WriteTemporary(string path, string contents, bool ownerOnly)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = ownerOnly
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
        }

        return temporary;
    }
}
