namespace FactoryMesh.Testing;

/// <summary>
/// Waits, boundedly, for a condition that something asynchronous brings about (a grain timer after the clock moved,
/// an agent's loop, a server's write-behind), failing with what was expected.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Polls <paramref name="condition"/> until it holds; throws after 10 s naming <paramref name="what"/>.</summary>
    public static Task HoldsAsync(Func<Task<bool>> condition, string what) => HoldsAsync(condition, DefaultTimeout, what);

    /// <summary>Polls <paramref name="condition"/> until it holds; throws after <paramref name="timeout"/> naming <paramref name="what"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Within {timeout.TotalSeconds:0.#} s: {what}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; throws after <paramref name="timeout"/> naming <paramref name="what"/>.</summary>
    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, what);
}
