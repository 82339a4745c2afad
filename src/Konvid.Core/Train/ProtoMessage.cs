using System.Text;

namespace Konvid.Core.Train;

/// <summary>
/// Protocol-buffers wire format, just enough to edit an ONNX graph: a message is its fields in order, unknown ones
/// kept verbatim. ML.NET's generated ONNX classes are internal to the OnnxConverter, so the head of the exported
/// graph is rewritten here at the wire level instead.
/// </summary>
internal sealed class ProtoMessage
{
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    public List<ProtoField> Fields { get; } = [];

    public static ProtoMessage Parse(ReadOnlySpan<byte> data)
    {
        var message = new ProtoMessage();
        var pos = 0;
        while (pos < data.Length)
        {
            var key = ReadVarint(data, ref pos);
            var number = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (wire)
            {
                case Varint:
                    message.Fields.Add(new ProtoField(number, wire, ReadVarint(data, ref pos), []));
                    break;
                case Fixed64:
                    message.Fields.Add(new ProtoField(number, wire, 0, data.Slice(pos, 8).ToArray()));
                    pos += 8;
                    break;
                case LengthDelimited:
                    var length = checked((int)ReadVarint(data, ref pos));
                    message.Fields.Add(new ProtoField(number, wire, 0, data.Slice(pos, length).ToArray()));
                    pos += length;
                    break;
                case Fixed32:
                    message.Fields.Add(new ProtoField(number, wire, 0, data.Slice(pos, 4).ToArray()));
                    pos += 4;
                    break;
                default:
                    throw new InvalidDataException($"protobuf wire type {wire} (field {number}) at byte {pos} is not supported");
            }
        }
        return message;
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        foreach (var f in Fields)
        {
            WriteVarint(stream, ((ulong)f.Number << 3) | (uint)f.WireType);
            switch (f.WireType)
            {
                case Varint: WriteVarint(stream, f.Value); break;
                case LengthDelimited: WriteVarint(stream, (ulong)f.Bytes.Length); stream.Write(f.Bytes); break;
                default: stream.Write(f.Bytes); break;
            }
        }
        return stream.ToArray();
    }

    public IEnumerable<ProtoField> All(int number) => Fields.Where(f => f.Number == number);

    public string? String(int number) =>
        Fields.LastOrDefault(f => f.Number == number && f.WireType == LengthDelimited) is { Bytes: { } b } ? Encoding.UTF8.GetString(b) : null;

    public ProtoMessage? Message(int number) =>
        Fields.LastOrDefault(f => f.Number == number && f.WireType == LengthDelimited) is { Bytes: { } b } ? Parse(b) : null;

    public ulong? VarintValue(int number) =>
        Fields.LastOrDefault(f => f.Number == number && f.WireType == Varint) is { WireType: Varint } f ? f.Value : null;

    public ProtoMessage AddString(int number, string value) => AddBytes(number, Encoding.UTF8.GetBytes(value));

    public ProtoMessage AddBytes(int number, byte[] value)
    {
        Fields.Add(new ProtoField(number, LengthDelimited, 0, value));
        return this;
    }

    public ProtoMessage AddMessage(int number, ProtoMessage value) => AddBytes(number, value.ToBytes());

    public ProtoMessage AddVarint(int number, ulong value)
    {
        Fields.Add(new ProtoField(number, Varint, value, []));
        return this;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("protobuf varint longer than 10 bytes");
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }
}

/// <summary>One field on the wire: <see cref="Value"/> for varints, <see cref="Bytes"/> for everything else.</summary>
internal readonly record struct ProtoField(int Number, int WireType, ulong Value, byte[] Bytes);
