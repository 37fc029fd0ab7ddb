using System.Text.Json.Nodes;
using KetamineCds.Api.Hosting;

namespace KetamineCds.Api.Tests.Configuration;

/// <summary>`dotnet run` defaults to Development through the launch profile, but an environment the operator names always wins.</summary>
public sealed class LaunchEnvironmentTests
{
    private static Func<string, string?> Variables(params (string Name, string Value)[] set)
        => name => set.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Profile_default_applies_when_no_environment_is_named()
        => Assert.Equal("Development", LaunchEnvironment.DefaultFor([], Variables((LaunchEnvironment.ProfileDefaultVariable, "Development"))));

    [Theory]
    [InlineData("ASPNETCORE_ENVIRONMENT")]
    [InlineData("DOTNET_ENVIRONMENT")]
    public void A_named_environment_wins_over_the_profile(string variable)
        => Assert.Null(LaunchEnvironment.DefaultFor([], Variables((LaunchEnvironment.ProfileDefaultVariable, "Development"), (variable, "Production"))));

    [Fact]
    public void The_command_line_environment_wins_over_the_profile()
        => Assert.Null(LaunchEnvironment.DefaultFor(["--environment", "Production"], Variables((LaunchEnvironment.ProfileDefaultVariable, "Development"))));

    [Fact]
    public void Without_the_profile_the_host_default_applies()
        => Assert.Null(LaunchEnvironment.DefaultFor([], Variables()));

    [Fact]
    public void The_launch_profile_does_not_set_the_environment_itself()
    {
        var profiles = JsonNode.Parse(File.ReadAllText(Endpoints.RepoFiles.PathOf("src/KetamineCds.Api/Properties/launchSettings.json")))!["profiles"]!.AsObject();

        foreach (var (_, profile) in profiles)
        {
            var variables = profile!["environmentVariables"]?.AsObject() ?? [];
            Assert.DoesNotContain(variables, v => v.Key is "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT");
            Assert.Equal("Development", (string?)variables[LaunchEnvironment.ProfileDefaultVariable]);
        }
    }
}
