namespace Konvid.Core.Probe;

/// <summary>
/// What ffprobe reports from an H.264 sequence parameter set: the cropped size and the VUI's range and transfer. Parse
/// answers only for progressive 8-bit 4:2:0 streams without scaling matrices (everything else goes to ffprobe).
/// </summary>
internal readonly record struct H264Sps(int Width, int Height, bool RangeSignalled, bool FullRange, string? Transfer)
{
    private static readonly int[] HighProfiles = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135];

    /// <summary>ffmpeg's names of the transfer characteristics (libavutil av_color_transfer_name); 2 is unspecified.</summary>
    private static readonly Dictionary<int, string> TransferNames = new()
    {
        [1] = "bt709", [4] = "gamma22", [5] = "gamma28", [6] = "smpte170m", [7] = "smpte240m", [8] = "linear", [9] = "log100",
        [10] = "log316", [11] = "iec61966-2-4", [12] = "bt1361e", [13] = "iec61966-2-1", [14] = "bt2020-10", [15] = "bt2020-12",
        [16] = "smpte2084", [17] = "smpte428", [18] = "arib-std-b67",
    };

    /// <summary>Parses a SPS NAL unit (with its one-byte header); null when it is not one this reader fully understands.</summary>
    public static H264Sps? Parse(ReadOnlySpan<byte> nal)
    {
        if (nal.Length < 4 || (nal[0] & 0x1F) != 7) return null;
        var bits = new BitReader(Unescape(nal[1..]));
        var profile = bits.Read(8);
        bits.Read(16); // constraint flags, level
        bits.Ue(); // seq_parameter_set_id
        if (Array.IndexOf(HighProfiles, profile) >= 0)
        {
            if (bits.Ue() != 1) return null; // chroma_format_idc: 4:2:0 only
            if (bits.Ue() != 0 || bits.Ue() != 0) return null; // bit depths: 8 only
            bits.Read(1); // qpprime_y_zero_transform_bypass
            if (bits.Read(1) != 0) return null; // scaling matrices
        }
        bits.Ue(); // log2_max_frame_num_minus4
        var pocType = bits.Ue();
        if (pocType == 0) bits.Ue();
        else if (pocType == 1)
        {
            bits.Read(1);
            bits.Se();
            bits.Se();
            var cycle = bits.Ue();
            if (cycle > 255) return null;
            for (var i = 0; i < cycle; i++) bits.Se();
        }
        else if (pocType != 2) return null;
        bits.Ue(); // max_num_ref_frames
        bits.Read(1); // gaps_in_frame_num_allowed
        var widthMbs = bits.Ue() + 1;
        var heightMapUnits = bits.Ue() + 1;
        if (bits.Read(1) != 1) return null; // frame_mbs_only: interlaced streams go to ffprobe
        bits.Read(1); // direct_8x8_inference
        int cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (bits.Read(1) == 1)
        {
            cropLeft = bits.Ue();
            cropRight = bits.Ue();
            cropTop = bits.Ue();
            cropBottom = bits.Ue();
        }
        // 4:2:0 progressive: crop units are 2x2 luma samples.
        var width = widthMbs * 16 - 2 * (cropLeft + cropRight);
        var height = heightMapUnits * 16 - 2 * (cropTop + cropBottom);
        if (width <= 0 || height <= 0) return null;

        bool rangeSignalled = false, fullRange = false;
        string? transfer = null;
        if (bits.Read(1) == 1) // vui_parameters_present
        {
            if (bits.Read(1) == 1 && bits.Read(8) == 255) bits.Read(32); // aspect ratio (extended SAR)
            if (bits.Read(1) == 1) bits.Read(1); // overscan
            if (bits.Read(1) == 1) // video_signal_type_present
            {
                bits.Read(3); // video_format
                rangeSignalled = true;
                fullRange = bits.Read(1) == 1;
                if (bits.Read(1) == 1) // colour_description_present
                {
                    bits.Read(8); // primaries
                    var trc = bits.Read(8);
                    var matrix = bits.Read(8);
                    if (matrix is 0 or 8 or > 14) return null; // RGB / YCgCo / reserved change the pixel format
                    if (trc != 2 && !TransferNames.TryGetValue(trc, out transfer)) return null;
                }
            }
        }
        return new H264Sps(width, height, rangeSignalled, fullRange, transfer);
    }

    /// <summary>Removes emulation-prevention bytes (00 00 03 -> 00 00).</summary>
    private static byte[] Unescape(ReadOnlySpan<byte> rbsp)
    {
        var output = new List<byte>(rbsp.Length);
        var zeros = 0;
        foreach (var b in rbsp)
        {
            if (zeros >= 2 && b == 3) { zeros = 0; continue; }
            output.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return [.. output];
    }

    private sealed class BitReader(byte[] data)
    {
        private int _bit;

        public int Read(int count)
        {
            var value = 0;
            for (var i = 0; i < count; i++)
            {
                if (_bit >= data.Length * 8) throw new InvalidDataException("SPS ends early");
                value = (value << 1) | ((data[_bit >> 3] >> (7 - (_bit & 7))) & 1);
                _bit++;
            }
            return value;
        }

        public int Ue()
        {
            var zeros = 0;
            while (Read(1) == 0)
                if (++zeros > 31) throw new InvalidDataException("bad Exp-Golomb code");
            return (int)((1L << zeros) - 1 + Read(zeros));
        }

        public int Se()
        {
            var k = Ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }
    }
}
