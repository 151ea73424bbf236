namespace FactoryMesh.Server.Security;

/// <summary>Writes secrets to files no other OS user can read.</summary>
public static class OwnerOnlyFile
{
    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> with mode 0600, replacing it atomically.</summary>
    public static void WriteAllText(string path, string contents) =>
        WriteAllBytes(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents));

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> with mode 0600, replacing it atomically.</summary>
    public static void WriteAllBytes(string path, byte[] contents)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(contents);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
