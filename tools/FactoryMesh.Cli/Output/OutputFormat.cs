namespace FactoryMesh.Cli.Output;

/// <summary>How results are printed (<c>--output</c>).</summary>
internal enum OutputFormat
{
    /// <summary>Tables for people (the default).</summary>
    Table,

    /// <summary>The API's JSON, indented, for scripts; <c>watch</c> prints one JSON line per event.</summary>
    Json,
}
