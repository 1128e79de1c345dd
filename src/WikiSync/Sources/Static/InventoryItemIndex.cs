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
/// A known hash is only reused for the same text, and what an entry's text reads as does not depend on the file
/// around it. The scan splits at every line that can start a list entry (<c>- </c> at the items' indent) and
/// gives up on any line it cannot place, so its items are the file's entries or pieces of them; a piece never
/// passes for a whole project: alone it fails to read (an unclosed quote or bracket), and next to the
/// whole-file reader it makes the counts differ. An alias to another entry's anchor fails alone too. Any doubt
/// gives null, and the caller reads the whole file as before, with its exact errors.
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
        var items = new ItemSplitter(item =>
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
        });
        var chunk = new byte[64 * 1024];
        int read;
        while (!items.InDoubt && (read = file.Read(chunk)) > 0)
            items.Feed(chunk.AsSpan(0, read));
        return items.Finish() ? new ItemRead(new Inventory(projects), new InventoryItemIndex(byHash), parsed) : null;
    }

    /// <summary>
    /// A stream for the whole-file reader that hashes the items of what goes through it: a first read parses
    /// the file in one go as before (one parser costs less than one per item) and still leaves an index.
    /// </summary>
    public static IndexingStream Indexing(Stream file) => new(file);

    /// <summary>See <see cref="Indexing"/>.</summary>
    internal sealed class IndexingStream : Stream
    {
        private readonly Stream _file;
        private readonly ItemSplitter _items;
        private readonly List<UInt128> _hashes = [];
        private bool _ended;

        public IndexingStream(Stream file)
        {
            _file = file;
            _items = new ItemSplitter(item =>
            {
                _hashes.Add(Hash(item));
                return true;
            });
        }

        /// <summary>
        /// The index of the file read through this stream as <paramref name="projects"/>: one per list entry, in
        /// order, each read from its own entry (the streaming reader refuses aliases between entries). Null
        /// unless the whole file went through and split into exactly as many items, so that each item is one
        /// whole entry.
        /// </summary>
        public InventoryItemIndex? IndexOf(IReadOnlyList<Project> projects)
        {
            if (!_ended || !_items.Finish() || _hashes.Count != projects.Count)
                return null;
            var byHash = new Dictionary<UInt128, Project>(projects.Count);
            for (var i = 0; i < projects.Count; i++)
                byHash[_hashes[i]] = projects[i];
            return new InventoryItemIndex(byHash);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = _file.Read(buffer);
            if (read == 0)
                _ended = true;
            else if (!_items.InDoubt)
                _items.Feed(buffer[..read]);
            return read;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    // Two polynomial hashes modulo the prime 2^61-1 at bases drawn per process (the index lives in the process
    // only). Two different texts of up to n 4-byte words collide at one random base with a chance of at most
    // (n+2)/2^61 (a nonzero polynomial of degree n+2 has at most n+2 roots), at both below its square: for
    // 10,000 items of a few hundred words, nothing that happens. SHA-256 would do as well, but on Linux it
    // loads OpenSSL: 10 MB more in a process whose 10,000-project dry run has to stay under 200 MB (issue 6).
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
        // a is below the prime, b below 2^32 (a word, a tail of 3 bytes, a length under 2 GB).
        var sum = a + b;
        return sum >= Prime ? sum - Prime : sum;
    }

    /// <summary>
    /// Splits an inventory file, fed in chunks, into its list items, handing each over as it ends; gives up
    /// (<see cref="InDoubt"/>) on anything but the plain layout. Only the open item and a partial line are
    /// held: memory is bounded by the largest item, not the file.
    /// </summary>
    private sealed class ItemSplitter(Func<ReadOnlySpan<byte>, bool> onItem)
    {
        private byte[] _bytes = new byte[64 * 1024];
        private int _length;    // bytes held
        private int _scanned;   // start of the first line not looked at yet
        private int _item = -1; // start of the open item, -1 before the first
        private Layout _layout = Layout.Preamble;
        private int _indent = -1;
        private bool _first = true;

        private enum Layout { Preamble, Document, Header, Items }

        private enum Kind { Blank, Comment, ItemStart, Text, Doubt }

        public bool InDoubt { get; private set; }

        public void Feed(ReadOnlySpan<byte> bytes)
        {
            Hold(bytes);
            int newline;
            while (!InDoubt && (newline = _bytes.AsSpan(_scanned, _length - _scanned).IndexOf((byte)'\n')) >= 0)
            {
                Line(_scanned, _scanned + newline + 1);
                _scanned += newline + 1;
            }
        }

        /// <summary>At the end of the file: hands over the last item; false when in doubt or without items.</summary>
        public bool Finish()
        {
            if (!InDoubt && _scanned < _length)
            {
                Line(_scanned, _length);
                _scanned = _length;
            }
            if (!InDoubt && _layout == Layout.Items && _item < _length && onItem(_bytes.AsSpan(_item, _length - _item)))
            {
                _item = _length; // handed over once: a second call finds nothing to hand over
                return true;
            }
            InDoubt = true;
            return false;
        }

        private void Hold(ReadOnlySpan<byte> bytes)
        {
            if (_length + bytes.Length > _bytes.Length)
            {
                // Drop the items handed over (or the header): only the open item and the partial line stay.
                var keep = _item >= 0 ? _item : _scanned;
                _bytes.AsSpan(keep, _length - keep).CopyTo(_bytes);
                _length -= keep;
                _scanned -= keep;
                if (_item >= 0)
                    _item -= keep;
                if (_length + bytes.Length > _bytes.Length)
                    Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + bytes.Length));
            }
            bytes.CopyTo(_bytes.AsSpan(_length));
            _length += bytes.Length;
        }

        private void Line(int start, int end)
        {
            var line = _bytes.AsSpan(start, end - start);
            // The reader drops a UTF-8 byte order mark; one of UTF-16 or UTF-32 fails the header check.
            if (_first && line.StartsWith("\uFEFF"u8))
                line = line[3..];
            _first = false;
            var kind = Classify(line, out var at, out var text);
            if (kind is Kind.Blank or Kind.Comment)
                return; // Before the first item: part of the header. After: part of the item above, so in its text.
            switch (_layout)
            {
                case Layout.Preamble when kind == Kind.Text && at == 0 && IsExactly(text, "---"u8):
                    _layout = Layout.Document; // An explicit start of the one document changes nothing.
                    break;
                case Layout.Preamble or Layout.Document when kind == Kind.Text && at == 0 && IsExactly(text, "projects:"u8):
                    _layout = Layout.Header;
                    break;
                case Layout.Header when kind == Kind.ItemStart:
                    _indent = at;
                    _item = start;
                    _layout = Layout.Items;
                    break;
                case Layout.Items when kind == Kind.ItemStart && at == _indent:
                    if (!onItem(_bytes.AsSpan(_item, start - _item)))
                        InDoubt = true;
                    _item = start;
                    break;
                case Layout.Items when kind is Kind.ItemStart or Kind.Text && at > _indent:
                    break; // The item goes on.
                default:
                    // Another key, a second document, a directive, a flow list, a line less indented than the
                    // items, a tab, a line break the scan does not see: where items end is the parser's guess.
                    InDoubt = true;
                    break;
            }
        }

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
                (byte)'\t' => Kind.Doubt, // A tab may not indent YAML.
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
    }
}

/// <summary>An inventory read item by item: the index for the next read, and how many items were parsed.</summary>
internal sealed record ItemRead(Inventory Inventory, InventoryItemIndex Index, int Parsed);
