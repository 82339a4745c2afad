using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Konvid.Core.Probe;

/// <summary>
/// The fast path of Probe: reads the probe fields of an H.264 MP4 straight from its boxes (moov, trak, tkhd, mdhd, hdlr,
/// elst, stsd/avc1/avcC with the SPS, stts, stsz) the way ffprobe's mov demuxer and h264 decoder derive them, in well
/// under a millisecond instead of an ffprobe process. It answers only for files it fully understands and returns null for
/// anything else (another container or codec, fragmented or several video tracks, edit lists that cut, 10-bit or 4:2:2,
/// interlacing, scaling matrices, colr boxes, a btrt bit rate that disagrees, rotations other than quarter turns), which then go to ffprobe.
/// Tests prove its fields equal ffprobe's on every test clip.
/// </summary>
internal static class Mp4BoxReader
{
    /// <summary>moov boxes larger than this are left to ffprobe rather than read whole.</summary>
    private const long MaxMoovBytes = 64L << 20;

    public static async Task<ProbeResult?> TryReadAsync(string path, string src, string sha256, CancellationToken ct)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var length = RandomAccess.GetLength(file);
        var moov = await FindMoovAsync(file, length, ct);
        if (moov is null) return null;
        try
        {
            return Parse(moov, src, sha256, length);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidDataException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// The moov payload of a plain (not fragmented) ISO-BMFF file that starts with ftyp; null otherwise. The walk over the
    /// top-level boxes ends at the end of the file or, after moov, at the first header that does not fit.
    /// </summary>
    private static async Task<byte[]?> FindMoovAsync(SafeFileHandle file, long length, CancellationToken ct)
    {
        var header = new byte[16];
        long offset = 0;
        byte[]? moov = null;
        var first = true;
        while (offset + 8 <= length)
        {
            if (await RandomAccess.ReadAsync(file, header.AsMemory(0, 16), offset, ct) < 8) return null;
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = System.Text.Encoding.ASCII.GetString(header, 4, 4);
            var headerSize = 8;
            if (size == 1) { size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8)); headerSize = 16; }
            else if (size == 0) size = length - offset;
            if (size < headerSize || offset + size > length)
                // Once moov is read, nothing after it changes the fields: bytes after the last box (a trailer, a garbage
                // tail) or an mdat cut short leave ffprobe's answer as moov gives it (a cut file is Features' to report).
                return moov;
            if (first && type != "ftyp") return null;
            first = false;
            if (type is "moof" or "mfra") return null;
            if (type == "moov")
            {
                if (moov is not null || size - headerSize > MaxMoovBytes) return null;
                moov = new byte[size - headerSize];
                if (await RandomAccess.ReadAsync(file, moov, offset + headerSize, ct) != moov.Length) return null;
            }
            offset += size;
        }
        return moov;
    }

    private static ProbeResult? Parse(byte[] moov, string src, string sha256, long fileSize)
    {
        var movie = moov.AsSpan();
        var mvhd = Child(movie, "mvhd");
        if (mvhd.IsEmpty) return null;
        var mvhdV1 = mvhd[0] == 1;
        var movieTimescale = BinaryPrimitives.ReadUInt32BigEndian(mvhd[(mvhdV1 ? 20 : 12)..]);
        if (!IsIdentity(mvhd[(mvhdV1 ? 4 + 8 + 8 + 4 + 8 + 4 + 2 + 10 : 4 + 4 + 4 + 4 + 4 + 4 + 2 + 10)..])) return null;

        Track? video = null;
        foreach (var trak in Children(movie, "trak"))
        {
            var mdia = Child(trak, "mdia");
            var hdlr = Child(mdia, "hdlr");
            if (hdlr.Length < 12 || !hdlr.Slice(8, 4).SequenceEqual("vide"u8)) continue;
            if (video is not null) return null;
            video = ReadTrack(trak, mdia);
            if (video is null) return null;
        }
        if (video is not { } v || movieTimescale == 0) return null;

        // An edit list is accepted only when it shows the whole media once (the usual B-frame delay entry), so the stream's
        // duration is the media's.
        var edts = Child(v.Trak, "edts");
        if (!edts.IsEmpty)
        {
            var elst = Child(edts, "elst");
            if (elst.IsEmpty || BinaryPrimitives.ReadUInt32BigEndian(elst[4..]) != 1) return null;
            var v1 = elst[0] == 1;
            var segment = v1 ? BinaryPrimitives.ReadUInt64BigEndian(elst[8..]) : BinaryPrimitives.ReadUInt32BigEndian(elst[8..]);
            var mediaTime = v1 ? BinaryPrimitives.ReadInt64BigEndian(elst[16..]) : BinaryPrimitives.ReadInt32BigEndian(elst[12..]);
            var rate = BinaryPrimitives.ReadUInt32BigEndian(elst[(v1 ? 24 : 16)..]);
            if (mediaTime < 0 || rate != 0x0001_0000 || (UInt128)segment * v.Timescale != (UInt128)v.Duration * movieTimescale) return null;
        }
        if (v.SampleDurationSum != v.Duration || v.Duration == 0 || v.SampleCount == 0) return null;

        // mov.c: avg_frame_rate = av_reduce(time_scale * nb_frames, duration, INT_MAX); bit_rate = data_size * 8 * time_scale / duration.
        var num = (ulong)v.Timescale * (ulong)v.SampleCount;
        var den = v.Duration;
        var gcd = Gcd(num, den);
        num /= gcd;
        den /= gcd;
        if (num > int.MaxValue || den > int.MaxValue) return null;
        var bitRate = (long)((UInt128)v.DataSize * 8 * v.Timescale / v.Duration);
        // Whether or not a demuxer prefers the btrt box's figure, the two must agree for the answer to be certain.
        if (v.BtrtAverage != 0 && v.BtrtAverage != bitRate) return null;
        // ffprobe prints durations with "%f": the same six decimals, parsed back, give the same double.
        var durationText = (v.Duration * (1.0 / v.Timescale)).ToString("F6", System.Globalization.CultureInfo.InvariantCulture);

        return new ProbeResult(src, sha256, fileSize,
            Width: v.Sps.Width, Height: v.Sps.Height, Framerate: (double)num / den,
            DurationS: double.Parse(durationText, System.Globalization.CultureInfo.InvariantCulture),
            PixFmt: v.Sps.FullRange ? "yuvj420p" : "yuv420p", CodecName: "h264",
            FrameCount: v.SampleCount, BitRate: bitRate, Rotation: v.Rotation,
            ColorRange: v.Sps.RangeSignalled ? (v.Sps.FullRange ? "pc" : "tv") : null, ColorTransfer: v.Sps.Transfer);
    }

    private readonly record struct Track(byte[] TrakBytes, uint Timescale, ulong Duration, int Rotation, long SampleCount, ulong SampleDurationSum,
        ulong DataSize, H264Sps Sps, uint BtrtAverage)
    {
        public ReadOnlySpan<byte> Trak => TrakBytes;
    }

    private static Track? ReadTrack(ReadOnlySpan<byte> trak, ReadOnlySpan<byte> mdia)
    {
        var tkhd = Child(trak, "tkhd");
        var mdhd = Child(mdia, "mdhd");
        var stbl = Child(Child(mdia, "minf"), "stbl");
        if (tkhd.IsEmpty || mdhd.IsEmpty || stbl.IsEmpty) return null;

        var matrix = tkhd[(tkhd[0] == 1 ? 4 + 8 + 8 + 4 + 4 + 8 + 8 + 8 : 4 + 4 + 4 + 4 + 4 + 4 + 8 + 8)..];
        if (QuarterTurn(matrix) is not { } rotation) return null;

        var mdhdV1 = mdhd[0] == 1;
        var timescale = BinaryPrimitives.ReadUInt32BigEndian(mdhd[(mdhdV1 ? 20 : 12)..]);
        var duration = mdhdV1 ? BinaryPrimitives.ReadUInt64BigEndian(mdhd[24..]) : BinaryPrimitives.ReadUInt32BigEndian(mdhd[16..]);
        if (timescale == 0) return null;

        var stts = Child(stbl, "stts");
        var stsz = Child(stbl, "stsz");
        var stsd = Child(stbl, "stsd");
        if (stts.IsEmpty || stsz.IsEmpty || stsd.IsEmpty) return null;
        long sttsCount = 0;
        ulong sttsDuration = 0;
        var entries = BinaryPrimitives.ReadUInt32BigEndian(stts[4..]);
        for (var i = 0; i < entries; i++)
        {
            var count = BinaryPrimitives.ReadUInt32BigEndian(stts[(8 + 8 * i)..]);
            var delta = BinaryPrimitives.ReadUInt32BigEndian(stts[(12 + 8 * i)..]);
            sttsCount += count;
            sttsDuration += (ulong)count * delta;
        }
        var sampleSize = BinaryPrimitives.ReadUInt32BigEndian(stsz[4..]);
        var sampleCount = BinaryPrimitives.ReadUInt32BigEndian(stsz[8..]);
        if (sampleCount != sttsCount) return null;
        ulong dataSize = 0;
        if (sampleSize != 0) dataSize = (ulong)sampleSize * sampleCount;
        else
            for (var i = 0; i < sampleCount; i++) dataSize += BinaryPrimitives.ReadUInt32BigEndian(stsz[(12 + 4 * i)..]);

        if (ReadAvc1(stsd) is not { } avc1) return null;
        return new Track(trak.ToArray(), timescale, duration, rotation, sttsCount, sttsDuration, dataSize, avc1.Sps, avc1.BtrtAverage);
    }

    /// <summary>
    /// The single avc1 sample entry's SPS (when the entry's size agrees with it) and its btrt average bit rate (0 when absent);
    /// null when the entry carries anything but avcC, pasp and btrt.
    /// </summary>
    private static (H264Sps Sps, uint BtrtAverage)? ReadAvc1(ReadOnlySpan<byte> stsd)
    {
        if (BinaryPrimitives.ReadUInt32BigEndian(stsd[4..]) != 1) return null;
        var entry = stsd[8..];
        var entrySize = (int)BinaryPrimitives.ReadUInt32BigEndian(entry);
        if (!entry.Slice(4, 4).SequenceEqual("avc1"u8) || entrySize > entry.Length) return null;
        entry = entry[..entrySize];
        var width = BinaryPrimitives.ReadUInt16BigEndian(entry[32..]);
        var height = BinaryPrimitives.ReadUInt16BigEndian(entry[34..]);
        ReadOnlySpan<byte> avcC = default;
        uint btrtAverage = 0;
        foreach (var (type, payload) in Boxes(entry[86..]))
        {
            if (type == "avcC") avcC = payload;
            else if (type == "btrt" && payload.Length >= 12) btrtAverage = BinaryPrimitives.ReadUInt32BigEndian(payload[8..]);
            else if (type != "pasp") return null;
        }
        if (avcC.Length < 8 || avcC[0] != 1 || (avcC[5] & 0x1F) != 1) return null;
        var spsLength = BinaryPrimitives.ReadUInt16BigEndian(avcC[6..]);
        var sps = H264Sps.Parse(avcC.Slice(8, spsLength));
        return sps is { } s && s.Width == width && s.Height == height ? (s, btrtAverage) : null;
    }

    /// <summary>
    /// ffprobe's rotation for a tkhd matrix that is a pure quarter turn (av_display_rotation_get, printed as an integer);
    /// null for anything else (scaling, mirroring, translation), which ffprobe handles.
    /// </summary>
    private static int? QuarterTurn(ReadOnlySpan<byte> m)
    {
        int a = BinaryPrimitives.ReadInt32BigEndian(m), b = BinaryPrimitives.ReadInt32BigEndian(m[4..]), u = BinaryPrimitives.ReadInt32BigEndian(m[8..]);
        int c = BinaryPrimitives.ReadInt32BigEndian(m[12..]), d = BinaryPrimitives.ReadInt32BigEndian(m[16..]), v = BinaryPrimitives.ReadInt32BigEndian(m[20..]);
        int x = BinaryPrimitives.ReadInt32BigEndian(m[24..]), y = BinaryPrimitives.ReadInt32BigEndian(m[28..]), w = BinaryPrimitives.ReadInt32BigEndian(m[32..]);
        if (u != 0 || v != 0 || x != 0 || y != 0 || w != 1 << 30) return null;
        const int One = 0x10000;
        return (a, b, c, d) switch
        {
            (One, 0, 0, One) => 0,
            (0, -One, One, 0) => 90,
            (-One, 0, 0, -One) => -180,
            (0, One, -One, 0) => -90,
            _ => null,
        };
    }

    private static bool IsIdentity(ReadOnlySpan<byte> m) => QuarterTurn(m) == 0;

    private static ulong Gcd(ulong a, ulong b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    private static ReadOnlySpan<byte> Child(ReadOnlySpan<byte> parent, string type)
    {
        foreach (var (t, payload) in Boxes(parent))
            if (t == type) return payload;
        return default;
    }

    private static List<byte[]> Children(ReadOnlySpan<byte> parent, string type)
    {
        var all = new List<byte[]>();
        foreach (var (t, payload) in Boxes(parent))
            if (t == type) all.Add(payload.ToArray());
        return all;
    }

    private static BoxEnumerator Boxes(ReadOnlySpan<byte> data) => new(data);

    private readonly ref struct Box(string type, ReadOnlySpan<byte> payload)
    {
        private readonly ReadOnlySpan<byte> _payload = payload;

        public void Deconstruct(out string boxType, out ReadOnlySpan<byte> boxPayload)
        {
            boxType = type;
            boxPayload = _payload;
        }
    }

    /// <summary>Child boxes of a payload as (type, payload); a box running past its parent ends the walk with an error.</summary>
    private ref struct BoxEnumerator(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public Box Current { get; private set; }

        public readonly BoxEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_rest.Length < 8) return false;
            long size = BinaryPrimitives.ReadUInt32BigEndian(_rest);
            var header = 8;
            if (size == 1) { size = (long)BinaryPrimitives.ReadUInt64BigEndian(_rest[8..]); header = 16; }
            else if (size == 0) size = _rest.Length;
            if (size < header || size > _rest.Length) throw new InvalidDataException("box runs past its parent");
            Current = new Box(System.Text.Encoding.ASCII.GetString(_rest.Slice(4, 4)), _rest[header..(int)size]);
            _rest = _rest[(int)size..];
            return true;
        }
    }
}
