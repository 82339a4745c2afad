using System.Text;
using Konvid.Core.Tests.Support;
using Konvid.Core.Workspace;
using Konvid.Testing;

namespace Konvid.Core.Tests.Workspace;

public class CsvRecordReaderTests
{
    [Fact]
    public async Task Reads_bom_crlf_quoted_commas_doubled_quotes_and_line_breaks_inside_quotes()
    {
        using var dir = new TempDir();
        var path = dir["x.csv"];
        await File.WriteAllBytesAsync(path, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(
            "file_name,MOS,note\r\n\"a,b.mp4\",\"3.5\",\"say \"\"hi\"\"\"\r\n\r\nc.mp4,2,\"two\r\nlines\"\r\nd.mp4,1,Zürich\r\n")]);

        var records = new List<CsvRecord>();
        await foreach (var r in CsvRecordReader.ReadAsync(path)) records.Add(r);

        Assert.Equal([1L, 2, 4, 6], records.Select(r => r.Line));
        Assert.Equal(["file_name", "MOS", "note"], records[0].Fields); // no BOM glued to the first name
        Assert.Equal(["a,b.mp4", "3.5", "say \"hi\""], records[1].Fields);
        Assert.Equal(["c.mp4", "2", "two\nlines"], records[2].Fields);
        Assert.Equal(["d.mp4", "1", "Zürich"], records[3].Fields);
    }
}
