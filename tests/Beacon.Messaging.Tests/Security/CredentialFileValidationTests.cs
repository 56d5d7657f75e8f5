using Beacon.Messaging.Nats;
using NATS.NKeys;

namespace Beacon.Messaging.Tests.Security;

/// <summary>NKey seed and .creds files are checked at start-up, so a wrong file is a clear message instead of a reconnect loop.</summary>
public sealed class CredentialFileValidationTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void A_seed_file_holding_only_the_seed_as_nk_writes_it_is_accepted()
    {
        File.WriteAllText(_file, KeyPair.CreatePair(PrefixByte.User).GetSeed() + "\n");

        Options(o => o.NKeySeedFile = _file).Validate().Should().BeEmpty();
    }

    [Theory]
    [InlineData("UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4\n", "holds no user NKey seed")]
    [InlineData("SUAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n", "not a valid NKey seed")]
    [InlineData("", "holds no user NKey seed")]
    public void A_seed_file_without_a_valid_user_seed_is_reported_with_the_file_and_the_fix(string content, string problem)
    {
        File.WriteAllText(_file, content);

        Options(o => o.NKeySeedFile = _file).Validate().Should().ContainSingle()
            .Which.Should().Contain($"Nats:NKeySeedFile '{_file}'").And.Contain(problem);
    }

    [Fact]
    public void A_credentials_file_must_hold_a_user_jwt_and_a_seed()
    {
        File.WriteAllText(_file, "just a password\n");

        Options(o => o.CredentialsFile = _file).Validate().Should().ContainSingle()
            .Which.Should().Contain("is not a NATS .creds file").And.Contain("BEGIN NATS USER JWT");
    }

    [Fact]
    public void A_credentials_file_cannot_be_combined_with_an_nkey_seed()
    {
        File.WriteAllText(_file, KeyPair.CreatePair(PrefixByte.User).GetSeed());

        Options(o => (o.CredentialsFile, o.NKeySeedFile) = (_file, _file)).Validate().Should().Contain(p => p.Contains("CredentialsFile carries its own identity", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_problem_is_attributed_to_the_option_to_fix_so_components_report_it_under_their_own_spelling()
    {
        File.WriteAllText(_file, "garbage");
        var options = Options(o => (o.NKeySeedFile, o.TlsCertFile) = (_file, "/nonexistent/cert.pem"));
        options.Urls.Add("http://wrong");

        var problems = NatsOptionProblem.Of(options);

        problems.Select(p => p.Option).Should().BeEquivalentTo(["Urls", "NKeySeedFile", "TlsCertFile", "TlsCertFile"]);
        problems.Single(p => p.Option == "NKeySeedFile").Fix.Should().Contain("nk -gen user");
        NatsOptionProblem.Of(Options(o => (o.CredentialsFile, o.NKeySeedFile) = (_file, null)))
            .Should().ContainSingle().Which.Option.Should().Be("CredentialsFile");
    }

    private static NatsOptions Options(Action<NatsOptions> configure)
    {
        var options = new NatsOptions();
        options.Urls.Add("nats://127.0.0.1:4222");
        configure(options);
        return options;
    }
}
