using Beacon.TestSupport.Processes;

namespace Beacon.Lab.Tests;

/// <summary>What a user sees when a test uses a program nobody declared, or one that is declared but not installed.</summary>
public sealed class ProgramDeclarationTests
{
    private static readonly ProgramDeclaration Declaration = ProgramDeclaration.Parse("""
        {
          "searchPath": [ "/opt/frr" ],
          "programs": { "ping": "iputils-ping", "kubectl": "kubernetes-client|kubectl", "zebra": "frr" },
          "libraries": { "libpcap0.8": [ "/lib/a/libpcap.so.0.8", "/lib/b/libpcap.so.0.8" ] },
          "sdk": { "dotnet": "the .NET 10 SDK" }
        }
        """);

    [Fact]
    public void An_undeclared_program_is_refused_with_the_file_to_declare_it_in()
    {
        var act = () => Declaration.Resolve("traceroute", _ => true);
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("program 'traceroute' is not declared in build/external-programs.json; add it with its Debian package*");
        ((Action)(() => Declaration.Resolve("/usr/bin/traceroute", _ => true))).Should().Throw<InvalidOperationException>().WithMessage("*'traceroute' is not declared*");
    }

    [Fact]
    public void A_declared_program_that_is_missing_names_the_package_to_install()
    {
        ((Action)(() => Declaration.Resolve("ping", _ => false, "/usr/bin")))
            .Should().Throw<InvalidOperationException>().WithMessage("ping is not installed: run ./build.sh (Debian package iputils-ping)");
        ((Action)(() => Declaration.Resolve("kubectl", _ => false, "/usr/bin")))
            .Should().Throw<InvalidOperationException>().WithMessage("*(Debian package kubernetes-client or kubectl)");
        ((Action)(() => Declaration.Resolve("dotnet", _ => false, "/usr/bin")))
            .Should().Throw<InvalidOperationException>().WithMessage("dotnet is not installed: install the .NET 10 SDK");
    }

    [Fact]
    public void A_declared_program_resolves_through_path_then_the_declared_search_path()
    {
        Declaration.Resolve("ping", f => f == "/usr/bin/ping", "/usr/local/bin:/usr/bin").Should().Be("/usr/bin/ping");
        Declaration.Resolve("zebra", f => f == "/opt/frr/zebra", "/usr/bin").Should().Be("/opt/frr/zebra");
        Declaration.Resolve("/custom/ping", f => f == "/custom/ping", "").Should().Be("/custom/ping");
    }

    [Fact]
    public void A_library_package_is_checked_by_the_files_it_provides()
    {
        Declaration.RequireLibrary("libpcap0.8", f => f == "/lib/b/libpcap.so.0.8").Should().Be("/lib/b/libpcap.so.0.8");
        ((Action)(() => Declaration.RequireLibrary("libpcap0.8", _ => false)))
            .Should().Throw<InvalidOperationException>().WithMessage("libpcap0.8 is not installed*run ./build.sh (Debian package libpcap0.8)");
        Declaration.Packages.Should().Equal("frr", "iputils-ping", "kubernetes-client|kubectl", "libpcap0.8");
    }
}
