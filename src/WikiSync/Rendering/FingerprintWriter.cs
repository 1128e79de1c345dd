using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Runtime.InteropServices;

namespace WikiSync.Rendering;

/// <summary>
/// Writes a model value as bytes for <see cref="RenderCache"/>: every member Scriban can read on it (the same
/// members as <see cref="CompiledMemberAccessor"/>, read by compiled getters), lists item by item, each value
/// tagged with its kind and length so that two different values never write the same bytes. A value nested
/// deeper than <see cref="MaxDepth"/> (a cycle) cannot be written: the render then goes without the cache.
/// Types are written by their full name, not by anything of this process, because fingerprints are kept in
/// the store from one run to the next (<c>verified_pages.inputs_hash</c>).
/// </summary>
internal sealed class FingerprintWriter
{
    private const int MaxDepth = 16;

    private static readonly ConcurrentDictionary<Type, (long Id, Func<object, object?>[] Getters)> s_types = new();

    private byte[] _buffer = new byte[4096];
    private int _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public int Capacity => _buffer.Length;

    public void Reset() => _length = 0;

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Room(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>False when the value cannot be written (nested too deep).</summary>
    public bool Value(object? value) => Write(value, 0);

    private bool Write(object? value, int depth)
    {
        if (depth > MaxDepth)
            return false;
        switch (value)
        {
            case null:
                Tag(0);
                return true;
            case string s:
                Tag(1);
                Int64(s.Length);
                Raw(MemoryMarshal.AsBytes(s.AsSpan()));
                return true;
            case bool b:
                Tag(b ? (byte)3 : (byte)2);
                return true;
            case long or int or short or byte or ulong or uint or ushort or sbyte or char:
                Tag(4);
                Int64(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                return true;
            case double d:
                Tag(5);
                Int64(BitConverter.DoubleToInt64Bits(d));
                return true;
            case DateTimeOffset t:
                Tag(6);
                Int64(t.UtcTicks);
                Int64(t.Offset.Ticks);
                return true;
            case DateTime t:
                Tag(7);
                Int64(t.ToBinary());
                return true;
            case decimal or float or Guid or TimeSpan or Enum:
                Tag(8);
                var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                Int64(text.Length);
                Raw(MemoryMarshal.AsBytes(text.AsSpan()));
                Int64(TypeOf(value.GetType()).Id);
                return true;
            case IEnumerable items:
                Tag(9);
                foreach (var item in items)
                {
                    if (!Write(item, depth + 1))
                        return false;
                }
                Tag(10);
                return true;
            default:
                var (id, getters) = TypeOf(value.GetType());
                Tag(11);
                Int64(id);
                foreach (var get in getters)
                {
                    if (!Write(get(value), depth + 1))
                        return false;
                }
                return true;
        }
    }

    private static (long Id, Func<object, object?>[] Getters) TypeOf(Type type) =>
        s_types.GetOrAdd(type, static t =>
        {
            var target = Expression.Parameter(typeof(object), "target");
            var getters = CompiledMemberAccessor.Members(t)
                .Select(m => Expression.Lambda<Func<object, object?>>(
                    Expression.Convert(Expression.PropertyOrField(Expression.Convert(target, t), m.Name), typeof(object)), target).Compile())
                .ToArray();
            // The same in every process: the first 8 bytes of the SHA-256 of the type's full name.
            var name = System.Text.Encoding.UTF8.GetBytes(t.FullName ?? t.Name);
            return (BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(name)), getters);
        });

    private void Tag(byte tag)
    {
        Room(1)[0] = tag;
        _length++;
    }

    private void Int64(long value)
    {
        MemoryMarshal.Write(Room(sizeof(long)), in value);
        _length += sizeof(long);
    }

    private Span<byte> Room(int size)
    {
        if (_length + size > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + size));
        return _buffer.AsSpan(_length);
    }
}
