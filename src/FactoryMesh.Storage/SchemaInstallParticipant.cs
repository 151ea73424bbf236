using Orleans;
using Orleans.Runtime;

namespace FactoryMesh.Storage;

/// <summary>Installs the schema at the very first silo lifecycle stage, before any ADO.NET provider reads its queries.</summary>
internal sealed class SchemaInstallParticipant(StorageEngine engine, string connectionString) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaInstallParticipant), ServiceLifecycleStage.First, token => SchemaInstaller.InstallAsync(engine, connectionString, token));
}
