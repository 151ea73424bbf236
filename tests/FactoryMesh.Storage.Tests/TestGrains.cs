using Orleans.Runtime;

namespace FactoryMesh.Storage.Tests;

/// <summary>The storage provider name the test silos register.</summary>
public static class TestStorage
{
    public const string Name = "store";

    /// <summary>The group-commit storage, partitioned by the part of the key before its first '/'.</summary>
    public const string GroupCommitName = "batched";
}

[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)] public int Value { get; set; }

    [Id(1)] public string Note { get; set; } = string.Empty;
}

/// <summary>What a grain's persistent state looks like after a fresh read from storage.</summary>
[GenerateSerializer]
public sealed record StoredCounter([property: Id(0)] int Value, [property: Id(1)] string? ETag, [property: Id(2)] bool RecordExists);

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Sets the value and writes it; returns the ETag after the write.</summary>
    Task<string?> Write(int value);

    /// <summary>Re-reads the state from storage.</summary>
    Task<StoredCounter> Read();

    Task Clear();
}

/// <summary>Same state as <see cref="ICounterGrain"/>, keyed by an integer: Orleans sends no key extension (NULL).</summary>
public interface INumberedCounterGrain : IGrainWithIntegerKey
{
    Task<string?> Write(int value);

    Task<StoredCounter> Read();
}

public interface IReminderGrain : IGrainWithStringKey
{
    Task Register(string name, TimeSpan period);

    Task<IReadOnlyList<string>> Names();

    Task<bool> Unregister(string name);
}

public abstract class CounterGrainBase(IPersistentState<CounterState> state) : Grain
{
    public async Task<string?> Write(int value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
        return state.Etag;
    }

    public async Task<StoredCounter> Read()
    {
        await state.ReadStateAsync();
        return new StoredCounter(state.State.Value, state.Etag, state.RecordExists);
    }

    public Task Clear() => state.ClearStateAsync();
}

public sealed class CounterGrain([PersistentState("counter", TestStorage.Name)] IPersistentState<CounterState> state)
    : CounterGrainBase(state), ICounterGrain;

public sealed class NumberedCounterGrain([PersistentState("numbered-counter", TestStorage.Name)] IPersistentState<CounterState> state)
    : CounterGrainBase(state), INumberedCounterGrain;

public sealed class ReminderGrain : Grain, IReminderGrain, IRemindable
{
    public Task Register(string name, TimeSpan period) =>
        this.RegisterOrUpdateReminder(name, TimeSpan.FromHours(1), period);

    public async Task<IReadOnlyList<string>> Names() =>
        (await this.GetReminders()).Select(r => r.ReminderName).Order(StringComparer.Ordinal).ToList();

    public async Task<bool> Unregister(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is null)
        {
            return false;
        }

        await this.UnregisterReminder(reminder);
        return true;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
