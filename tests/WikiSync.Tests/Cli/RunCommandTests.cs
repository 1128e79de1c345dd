using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WikiSync.Cli.Commands;

namespace WikiSync.Tests.Cli;

public sealed class RunCommandTests
{
    [Fact]
    public async Task A_host_stopped_by_a_failing_background_service_exits_1_not_0()
    {
        using var failing = Host(s => s.AddHostedService<Failing>());

        (await RunCommand.RunToTheEndAsync(failing).WaitAsync(TimeSpan.FromSeconds(30))).ShouldBe(ExitCodes.Failed);
    }

    [Fact]
    public async Task A_host_stopped_on_request_exits_0()
    {
        using var quiet = Host(s => s.AddHostedService<StopsTheHost>());

        (await RunCommand.RunToTheEndAsync(quiet).WaitAsync(TimeSpan.FromSeconds(30))).ShouldBe(ExitCodes.Ok);
    }

    private static IHost Host(Action<IServiceCollection> services)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        services(builder.Services);
        return builder.Build();
    }

    private sealed class Failing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("the store went away");
        }
    }

    /// <summary>Stands for the operator's Ctrl-C: asks the host to stop, as the console lifetime does.</summary>
    private sealed class StopsTheHost(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            lifetime.StopApplication();
        }
    }
}
