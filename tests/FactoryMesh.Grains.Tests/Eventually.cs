namespace FactoryMesh.Grains.Tests;

/// <summary>Waits, boundedly, for a condition another grain turn makes true (timer callbacks run after the clock moves).</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds, failing with <paramref name="waitingFor"/> after 10 s.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string waitingFor)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {waitingFor}.");
            }

            await Task.Delay(20);
        }
    }
}
