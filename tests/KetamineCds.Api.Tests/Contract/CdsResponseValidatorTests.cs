using KetamineCds.Api.Tests.Endpoints;

namespace KetamineCds.Api.Tests.Contract;

/// <summary>The response checker itself, on the spec's own examples (two of which break the spec's rules).</summary>
public sealed class CdsResponseValidatorTests
{
    [Fact]
    public void Valid_spec_card_response_passes()
        => Assert.Empty(CdsResponseValidator.Validate(RepoFiles.Example("06-card-response.json")));

    [Fact]
    public void Card_without_indicator_fails()
        => Assert.Contains(CdsResponseValidator.Validate(RepoFiles.Example("07-card-response-autolaunchable.json")), e => e.Contains("indicator", StringComparison.Ordinal));

    [Theory]
    [InlineData("08-system-actions-response.json")]
    [InlineData("21-order-select-response-systemActions.json")]
    public void System_action_without_description_fails(string file)
        => Assert.Contains(CdsResponseValidator.Validate(RepoFiles.Example(file)), e => e.Contains("description is required", StringComparison.Ordinal));

    [Theory]
    [InlineData("""{"cards":[{"summary":"s","indicator":"info","source":{"label":"x"},"detail":null}]}""", "detail is null or empty")]
    [InlineData("""{"cards":[{"summary":"s","indicator":"info","source":{"label":"x"},"links":[]}]}""", "links is null or empty")]
    [InlineData("""{"cards":[{"summary":"s","indicator":"info","source":{"label":"x"},"suggestions":[{"label":"a"}]}]}""", "selectionBehavior is required")]
    [InlineData("""{"cards":[{"summary":"s","indicator":"info","source":{"label":"x"},"overrideReasons":[{"system":"s","code":"c"}]}]}""", "display is required")]
    [InlineData("""{"cards":[{"summary":"s","indicator":"loud","source":{"label":"x"}}]}""", "indicator")]
    [InlineData("""{}""", "cards is required")]
    public void Rule_violations_are_reported(string json, string expected)
        => Assert.Contains(CdsResponseValidator.Validate(json), e => e.Contains(expected, StringComparison.Ordinal));
}
