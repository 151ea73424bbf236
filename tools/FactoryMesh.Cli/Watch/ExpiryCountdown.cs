using System.Globalization;

namespace FactoryMesh.Cli.Watch;

/// <summary>Time left on a node's trust, as an operator reads it at a glance: <c>9m 32s</c>, <c>expired 4s ago</c>.</summary>
internal static class ExpiryCountdown
{
    public static string Format(DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        if (expiresAt is not { } expiry)
        {
            return "-";
        }

        var left = expiry - now;
        return left >= TimeSpan.Zero ? Span(left) : $"expired {Span(-left)} ago";
    }

    private static string Span(TimeSpan span) => span switch
    {
        { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m"),
        { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.Seconds}s"),
    };
}
