using System.Text;

namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>
/// The control plane keys throughput by short GPU model names (<c>H100</c>); nvidia-smi reports marketing names
/// (<c>NVIDIA H100 80GB HBM3</c>, <c>NVIDIA A100-SXM4-80GB</c>). The model is the first word that is letters then
/// digits (<c>H100</c>, <c>GH200</c>, <c>L40S</c>); a name without one is kept whole, made a valid model name.
/// </summary>
internal static class GpuModelNames
{
    /// <summary>The short model name of <paramref name="marketingName"/>.</summary>
    public static string FromMarketingName(string marketingName)
    {
        ArgumentNullException.ThrowIfNull(marketingName);
        var words = marketingName.Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !string.Equals(w, "NVIDIA", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var model = words.FirstOrDefault(IsModelWord);
        if (model is not null)
        {
            return model.ToUpperInvariant();
        }

        var whole = new StringBuilder();
        foreach (var c in string.Join('-', words))
        {
            whole.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }

        var name = whole.ToString().Trim('-');
        return name.Length == 0 ? "GPU" : name[..Math.Min(32, name.Length)];
    }

    // Letters, then digits, then at most a few letters: H100, GH200, L40S, B200A; not "80GB", "HBM3" or "SXM4".
    private static bool IsModelWord(string word)
    {
        var i = 0;
        while (i < word.Length && char.IsAsciiLetter(word[i]))
        {
            i++;
        }

        var digitsStart = i;
        while (i < word.Length && char.IsAsciiDigit(word[i]))
        {
            i++;
        }

        var letters = digitsStart;
        var digits = i - digitsStart;
        var suffix = word.Length - i;
        return letters is >= 1 and <= 2 && digits >= 2 && suffix <= 1 && word[i..].All(char.IsAsciiLetter);
    }
}
