using System.Net;

namespace KetamineCds.Api.Tests.Endpoints;

public sealed class HealthTests(CdsHostFixture fixture) : IClassFixture<CdsHostFixture>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_without_a_token(string path)
    {
        using var response = await fixture.Host.Client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
