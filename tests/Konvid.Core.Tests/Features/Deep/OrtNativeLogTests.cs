using Konvid.Core.Features.Deep;
using Microsoft.ML.OnnxRuntime;

namespace Konvid.Core.Tests.Features.Deep;

public class OrtNativeLogTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("off", null)]
    [InlineData("verbose", OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE)]
    [InlineData("Warning", OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING)]
    [InlineData("error", OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR)]
    public void KONVID_ORT_LOG_names_the_level_shown_and_nothing_is_shown_unless_asked(string? value, OrtLoggingLevel? shown) =>
        Assert.Equal(shown, OrtNativeLog.Parse(value));
}
