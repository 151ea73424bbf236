namespace FactoryMesh.Cli.Tests;

/// <summary>A valid command line for every fmctl verb that calls the server, for tests of what they all share.</summary>
public static class EveryCommand
{
    /// <summary>Each verb's command line, as xunit theory data.</summary>
    public static TheoryData<string[]> CallingTheServer { get; } = new()
    {
        new[] { "sites", "list" },
        new[] { "sites", "get", "eu-fra-1" },
        new[] { "sites", "put", "eu-fra-1", "--jurisdiction", "DE", "--electricity-usd-per-kwh", "0.21", "--pue", "1.2", "--carbon-grams-per-kwh", "380" },
        new[] { "nodes", "list", "eu-fra-1" },
        new[] { "nodes", "get", "eu-fra-1/node-001" },
        new[] { "nodes", "revoke", "eu-fra-1/node-001", "--reason", "drill" },
        new[] { "tenants", "list" },
        new[] { "tenants", "get", "acme" },
        new[] { "tenants", "put", "acme" },
        new[] { "models", "put", "acme", "llama-70b", "--gpu-memory-gib", "80", "--tokens-per-second", "H100=2400", "--replicas", "2" },
        new[] { "models", "get", "acme", "llama-70b" },
        new[] { "models", "place", "acme", "llama-70b" },
        new[] { "models", "explain", "acme", "llama-70b" },
        new[] { "placement", "plan", "--tenant", "acme", "--dry-run" },
        new[] { "tokens", "issue", "--role", "scheduler" },
        new[] { "audit", "list" },
        new[] { "audit", "verify" },
        new[] { "certificates", "revoke", "0a1b2c", "--reason", "drill" },
        new[] { "top" },
        new[] { "watch", "site", "eu-fra-1", "--duration", "15" },
        new[] { "watch", "node", "eu-fra-1/node-001", "--duration", "15" },
        new[] { "watch", "tenant", "acme", "--duration", "15" },
        new[] { "watch", "model", "acme", "llama-70b", "--duration", "15" },
    };
}
