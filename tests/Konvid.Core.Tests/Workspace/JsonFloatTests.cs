using System.Buffers;
using System.Text;
using System.Text.Json;
using Konvid.Core.Workspace;

namespace Konvid.Core.Tests.Workspace;

public class JsonFloatTests
{
    // Oracle: Python 3's json.dumps of the same floats: 25.0, 0.1, 4.64, 1e-07, 23.976023976023978, 1e+16, -0.0. Exponent
    // spelling and where it starts differ from .NET's, which json.loads accepts alike: every literal here reads back as a float.
    [Theory]
    [InlineData(25.0, "25.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(4.64, "4.64")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(24000.0 / 1001, "23.976023976023978")]
    [InlineData(1e16, "10000000000000000.0")]
    [InlineData(-0.0, "-0.0")]
    public void Writes_floats_as_python_reads_them_back_as_floats(double value, string expected)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) JsonFloat.Write(w, value);
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);

        Assert.Equal(expected, text);
        Assert.Equal(value, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Refuses_nan_which_json_cannot_carry()
    {
        using var w = new Utf8JsonWriter(new ArrayBufferWriter<byte>());
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonFloat.Write(w, double.NaN));
    }
}
