using System.Globalization;
using System.Text;

namespace WikiSync.Tests.Rendering;

/// <summary>Reads hostile-strings.txt (format documented at its top).</summary>
public static class HostileStrings
{
    public static string FilePath => Path.Combine(Repository.RenderingTests, "hostile-strings.txt");

    public static IReadOnlyList<string> Load() => Parse(File.ReadAllLines(FilePath, Encoding.UTF8));

    public static IReadOnlyList<string> Parse(IEnumerable<string> lines) =>
        [.. lines.Where(l => l.Length > 0 && !l.StartsWith("##", StringComparison.Ordinal)).Select(Unescape)];

    public static string Unescape(string line)
    {
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c != '\\' || i + 1 >= line.Length)
            {
                sb.Append(c);
                continue;
            }

            var next = line[i + 1];
            switch (next)
            {
                case 'n': sb.Append('\n'); i++; break;
                case 'r': sb.Append('\r'); i++; break;
                case 't': sb.Append('\t'); i++; break;
                case '\\': sb.Append('\\'); i++; break;
                case 'u' when i + 5 < line.Length && int.TryParse(line.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    sb.Append((char)code);
                    i += 5;
                    break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }
}
