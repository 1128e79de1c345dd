namespace WikiSync.IntegrationTests;

public sealed class SmokeTests
{
    [Fact]
    public void Builds() => true.ShouldBeTrue();
}
