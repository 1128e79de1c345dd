using Microsoft.Extensions.Time.Testing;
using WikiSync.Sources.OpenStack;

namespace WikiSync.Tests.Support;

/// <summary>
/// A test class over a <see cref="FakeOpenStack"/> started for each test, with the clock, log and HTTP client
/// the cloud source takes.
/// </summary>
public abstract class FakeOpenStackTests : IAsyncLifetime
{
    protected FakeOpenStack Fake { get; private set; } = null!;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected ListLogger<OpenStackInventorySource> Log { get; } = new();

    protected HttpClient Http { get; } = new();

    public async Task InitializeAsync()
    {
        Fake = await FakeOpenStack.StartAsync();
        Fake.Now = Time.GetUtcNow;
        Prepare(Fake);
    }

    /// <summary>The payloads the test class starts from.</summary>
    protected virtual void Prepare(FakeOpenStack fake)
    {
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Fake.DisposeAsync();
    }
}
