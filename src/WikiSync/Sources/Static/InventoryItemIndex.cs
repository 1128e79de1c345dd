using System.Runtime.InteropServices;
using System.Text;
using WikiSync.Model;

namespace WikiSync.Sources.Static;

/// <summary>
/// The projects of the last inventory read, by a hash of each project's exact text. `wikisync run` collects the
/// file on every pass, and re-reading all 1,000 projects after an edit of ten cost more than the pass's edits
/// (issue 6). A file in the plain layout (<c>projects:</c> over a block list) is split into items by a line
/// scan, and only the items whose text is new are parsed, each on its own. Only hashes are kept, never texts:
/// a 13 MB inventory is read with a memory bound.
/// </summary>
/// <remarks>
/// A hash maps to what that text reads as on its own, whatever file it came from, so a known hash is always
/// safe to reuse. Everything else is doubt and gives null, and the caller reads the whole file as before (with
/// its exact errors): a layout the line scan does not fully understand, an item that does not read on its own
/// (an alias to another item's anchor, bad YAML, a bad project), a name listed twice.
/// </remarks>
internal sealed class InventoryItemIndex
{
    private readonly Dictionary<UInt128, Project> _projects;

    private InventoryItemIndex(Dictionary<UInt128, Project> projects) => _projects = projects;

    public static InventoryItemIndex Empty { get; } = new([]);

    public int Count => _projects.Count;

    /// <summary>
    /// Reads the inventory item by item, reusing the projects of <paramref name="known"/> items.
    /// <paramref name="readItem"/> reads one item's text (a list entry with its original indentation) as a
    /// project, or returns null when it cannot. Null when the file needs the whole-file reader.
    /// </summary>
    public static ItemRead? TryRead(Stream file, InventoryItemIndex known, Func<string, Project?> readItem)
    {
        var projects = new List<Project>(Math.Max(known.Count, 16));
        var byHash = new Dictionary<UInt128, Project>(known.Count);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var parsed = 0;

        bool Add(ReadOnlySpan<byte> item)
        {
            var hash = Hash(item);
            if (!known._projects.TryGetValue(hash, out var project))
            {
                parsed++;
                project = readItem(Encoding.UTF8.GetString(item));
            }
            if (project is null || !names.Add(project.Name))
                return false;
            projects.Add(project);
            byHash[hash] = project;
            return true;
        }

        var lines = new LineBuffer(file);
        var layout = Layout.Preamble;
        var indent = -1;
        var first = true;
        while (lines.TryReadLine(out var line))
        {
            // The reader drops a UTF-8 byte order mark; one of UTF-16 or UTF-32 fails the header check.
            if (first && line.StartsWith("\uFEFF"u8))
                line = line[3..];
            first = false;
            var kind = Classify(line, out var at, out var text);
            if (kind == Kind.Doubt)
                return null;
            if (kind is Kind.Blank or Kind.Comment)
                continue; // Before the first item: part of the header. After: part of the item above, so kept in its text.
            switch (layout)
            {
                case Layout.Preamble when at == 0 && IsExactly(text, "---"u8):
                    layout = Layout.Document; // An explicit start of the one document changes nothing.
                    break;
                case Layout.Preamble or Layout.Document when at == 0 && IsExactly(text, "projects:"u8):
                    layout = Layout.Header;
                    break;
                case Layout.Header when kind == Kind.ItemStart:
                    indent = at;
                    lines.StartItem();
                    layout = Layout.Items;
                    break;
                case Layout.Items when kind == Kind.ItemStart && at == indent:
                    if (!Add(lines.StartItem()))
                        return null;
                    break;
                case Layout.Items when at > indent:
                    break; // The item goes on.
                default:
                    // Another key, a second document, a directive, a flow list, a line less indented than the
                    // items: the line scan cannot tell where items end.
                    return null;
            }
        }
        return layout == Layout.Items && Add(lines.LastItem())
            ? new ItemRead(new Inventory(projects), new InventoryItemIndex(byHash), parsed)
            : null;
    }

    private enum Layout { Preamble, Document, Header, Items }

    private enum Kind { Blank, Comment, ItemStart, Text, Doubt }

    private static Kind Classify(ReadOnlySpan<byte> line, out int indent, out ReadOnlySpan<byte> text)
    {
        text = line;
        if (text is [.., (byte)'\n'])
            text = text[..^1];
        if (text is [.., (byte)'\r'])
            text = text[..^1];
        indent = text.IndexOfAnyExcept((byte)' ');
        if (indent < 0)
            return Kind.Blank;
        // YamlDotNet also breaks lines at a lone CR and at NEL, LS and PS (YAML 1.1): the parser would see
        // lines this scan does not.
        if (text.Contains((byte)'\r') || (!Ascii.IsValid(text) &&
            (text.IndexOf("\u0085"u8) >= 0 || text.IndexOf("\u2028"u8) >= 0 || text.IndexOf("\u2029"u8) >= 0)))
            return Kind.Doubt;
        return text[indent] switch
        {
            (byte)'\t' => Kind.Doubt, // A tab may not indent YAML: where the line belongs is the parser's guess.
            (byte)'#' => Kind.Comment,
            (byte)'-' when text.Length == indent + 1 || text[indent + 1] == (byte)' ' => Kind.ItemStart,
            _ => Kind.Text,
        };
    }

    /// <summary>The line is <paramref name="word"/>, maybe followed by spaces and a comment.</summary>
    private static bool IsExactly(ReadOnlySpan<byte> text, ReadOnlySpan<byte> word)
    {
        if (!text.StartsWith(word))
            return false;
        var rest = text[word.Length..];
        var skip = rest.IndexOfAnyExcept((byte)' ');
        return skip < 0 || (skip > 0 && rest[skip] == (byte)'#');
    }

    // Two polynomial hashes modulo the prime 2^61-1 at bases drawn per process (the index lives in the process
    // only). Two different texts of up to n 4-byte words collide at one random base with a chance of at most
    // (n+1)/2^61 (a nonzero polynomial of degree n+1 has at most n+1 roots), at both below its square: for
    // 10,000 items of a few hundred words, nothing that happens. SHA-256 would do as well, but on Linux it loads OpenSSL:
    // 10 MB more in a process whose 10,000-project dry run has to stay under 200 MB (issue 6).
    private const ulong Prime = (1UL << 61) - 1;
    private static readonly ulong s_base1 = (ulong)Random.Shared.NextInt64(1L << 32, (long)Prime);
    private static readonly ulong s_base2 = (ulong)Random.Shared.NextInt64(1L << 32, (long)Prime);

    internal static UInt128 Hash(ReadOnlySpan<byte> item)
    {
        ulong h1 = 0, h2 = 0;
        // Words in the machine's byte order: the hashes never leave the process.
        var words = MemoryMarshal.Cast<byte, uint>(item);
        foreach (var word in words)
        {
            h1 = Add(Multiply(h1, s_base1), word);
            h2 = Add(Multiply(h2, s_base2), word);
        }
        ulong tail = 0;
        foreach (var b in item[(words.Length * 4)..])
            tail = (tail << 8) | b;
        // The tail and then the length as the last coefficients: texts of different lengths never match.
        h1 = Add(Multiply(Add(Multiply(h1, s_base1), tail), s_base1), (ulong)item.Length);
        h2 = Add(Multiply(Add(Multiply(h2, s_base2), tail), s_base2), (ulong)item.Length);
        return new UInt128(h1, h2);
    }

    private static ulong Multiply(ulong a, ulong b)
    {
        // a, b < 2^61: the product is below 2^122, and 2^61 is 1 modulo the prime.
        var high = Math.BigMul(a, b, out var low);
        var folded = (low & Prime) + ((low >> 61) | (high << 3));
        return folded >= Prime ? folded - Prime : folded;
    }

    private static ulong Add(ulong a, ulong b)
    {
        // a < 2^61-1 and b < 2^32 (a word, a tail of 3 bytes, a length under 2 GB).
        var sum = a + b;
        return sum >= Prime ? sum - Prime : sum;
    }

    /// <summary>
    /// The file's lines, read in chunks; the bytes of the open item stay in the buffer until it ends, so memory
    /// is bounded by the largest item, not the file.
    /// </summary>
    private sealed class LineBuffer(Stream stream)
    {
        private byte[] _bytes = new byte[64 * 1024];
        private int _end;       // bytes in the buffer
        private int _line;      // start of the line last returned
        private int _next;      // start of the next line
        private int _item = -1; // start of the open item, -1 before the first
        private bool _eof;

        /// <summary>The next line with its line break; valid until the next call.</summary>
        public bool TryReadLine(out ReadOnlySpan<byte> line)
        {
            while (true)
            {
                var newline = _bytes.AsSpan(_next, _end - _next).IndexOf((byte)'\n');
                if (newline >= 0 || (_eof && _next < _end))
                {
                    _line = _next;
                    _next = newline >= 0 ? _next + newline + 1 : _end;
                    line = _bytes.AsSpan(_line, _next - _line);
                    return true;
                }
                if (_eof)
                {
                    line = default;
                    return false;
                }
                Fill();
            }
        }

        /// <summary>Opens an item at the line last returned; gives the text of the item it closes.</summary>
        public ReadOnlySpan<byte> StartItem()
        {
            var closed = _item < 0 ? default : _bytes.AsSpan(_item, _line - _item);
            _item = _line;
            return closed;
        }

        /// <summary>The open item up to the end of the file.</summary>
        public ReadOnlySpan<byte> LastItem() => _bytes.AsSpan(_item, _end - _item);

        private void Fill()
        {
            var keep = _item >= 0 ? _item : _next;
            if (keep > 0)
            {
                _bytes.AsSpan(keep, _end - keep).CopyTo(_bytes);
                _end -= keep;
                _next -= keep;
                if (_item >= 0)
                    _item -= keep;
            }
            if (_end == _bytes.Length)
                Array.Resize(ref _bytes, _bytes.Length * 2);
            var read = stream.Read(_bytes, _end, _bytes.Length - _end);
            if (read == 0)
                _eof = true;
            _end += read;
        }
    }
}

/// <summary>An inventory read item by item: the index for the next read, and how many items were parsed.</summary>
internal sealed record ItemRead(Inventory Inventory, InventoryItemIndex Index, int Parsed);
