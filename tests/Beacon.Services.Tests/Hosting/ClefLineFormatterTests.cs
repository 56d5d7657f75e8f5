using System.Text.Json;
using Beacon.Hosting.Logging;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging;
using Serilog;

namespace Beacon.Services.Tests.Hosting;

public sealed partial class ClefLineFormatterTests
{
    private static (Serilog.ILogger Logger, StringWriter Output) NewLogger()
    {
        var output = new StringWriter();
        var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new TextWriterSink(new ClefLineFormatter(), output)).CreateLogger();
        return (logger, output);
    }

    private static JsonElement SingleLine(StringWriter output)
    {
        var text = output.ToString();
        text.Should().EndWith("\n");
        text.TrimEnd('\n').Should().NotContain("\n", "each event is exactly one line");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Writes_timestamp_level_rendered_message_template_and_properties()
    {
        var (logger, output) = NewLogger();

        logger.Information("Assigned {Address} to {Service} after {Attempts} attempts", "192.0.2.10", "default/web", 2);

        var line = SingleLine(output);
        line.GetProperty("@t").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$");
        line.GetProperty("@l").GetString().Should().Be("Information");
        line.GetProperty("@m").GetString().Should().Be("Assigned 192.0.2.10 to default/web after 2 attempts");
        line.GetProperty("@mt").GetString().Should().Be("Assigned {Address} to {Service} after {Attempts} attempts");
        line.GetProperty("Address").GetString().Should().Be("192.0.2.10");
        line.GetProperty("Attempts").GetInt32().Should().Be(2);
    }

    [Fact]
    public void Exceptions_go_in_x_and_structured_values_stay_structured()
    {
        var (logger, output) = NewLogger();
        var failure = new InvalidOperationException("netlink said no\nsecond line");

        logger.Error(failure, "Plumbing {@Request} failed for {Ports}", new { Address = "10.0.0.1", Prefix = 32 }, new[] { 80, 443 });

        var line = SingleLine(output);
        line.GetProperty("@l").GetString().Should().Be("Error");
        line.GetProperty("@x").GetString().Should().Contain("InvalidOperationException: netlink said no\nsecond line");
        line.GetProperty("Request").GetProperty("Prefix").GetInt32().Should().Be(32);
        line.GetProperty("Ports").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(80, 443);
    }

    [Fact]
    public void Properties_named_like_reserved_keys_are_escaped_with_a_second_at_sign()
    {
        var (logger, output) = NewLogger();

        logger.ForContext("@m", "sneaky").Warning("real message");

        var line = SingleLine(output);
        line.GetProperty("@m").GetString().Should().Be("real message");
        line.GetProperty("@@m").GetString().Should().Be("sneaky");
    }

    [Property]
    public Property Any_text_survives_as_valid_single_line_json()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), text =>
        {
            var (logger, output) = NewLogger();
            logger.Information("Value {Value} end", text.Get);

            var line = SingleLine(output);
            line.GetProperty("Value").GetString().Should().Be(WellFormed(text.Get));
            line.GetProperty("@m").GetString().Should().Be("Value " + WellFormed(text.Get) + " end");
        });
    }

    [Theory]
    [InlineData("quote \" backslash \\ newline \n tab \t nul \0 end")]
    [InlineData("lone \uD800 surrogate")]
    [InlineData("emoji \uD83D\uDE00 and \u2028 separator")]
    public void Awkward_text_is_escaped_not_lost(string text)
    {
        var (logger, output) = NewLogger();
        logger.Information("Value {Value} end", text);

        SingleLine(output).GetProperty("Value").GetString().Should().Be(WellFormed(text));
    }

    [Fact]
    public void LoggerMessage_generated_logging_through_Microsoft_Extensions_Logging_arrives_structured()
    {
        var (serilog, output) = NewLogger();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddSerilog(serilog));
        var logger = factory.CreateLogger<ClefLineFormatterTests>();

        AddressWon(logger, "192.0.2.7", "node-a");

        var line = SingleLine(output);
        line.GetProperty("@m").GetString().Should().Be("Won 192.0.2.7 on node-a");
        line.GetProperty("Node").GetString().Should().Be("node-a");
        line.GetProperty("SourceContext").GetString().Should().Be(typeof(ClefLineFormatterTests).FullName);
        line.GetProperty("EventId").GetProperty("Id").GetInt32().Should().Be(7);
    }

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Won {Address} on {Node}")]
    private static partial void AddressWon(Microsoft.Extensions.Logging.ILogger logger, string address, string node);

    /// <summary>Lone surrogates cannot be encoded; the formatter replaces them rather than dropping the event.</summary>
    private static string WellFormed(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
                i++;
            else if (char.IsSurrogate(chars[i]))
                chars[i] = '\uFFFD';
        }
        return new string(chars);
    }
}
