using WikiSync.Sync;

namespace WikiSync.Tests.Sync;

public sealed class LocalSyncGateTests
{
    [Fact]
    public async Task An_urgent_pass_enters_before_scheduled_passes_that_waited_longer()
    {
        var gate = new LocalSyncGate();
        var held = await gate.EnterAsync(urgent: false, CancellationToken.None);
        var scheduled1 = gate.EnterAsync(urgent: false, CancellationToken.None);
        var scheduled2 = gate.EnterAsync(urgent: false, CancellationToken.None);
        var urgent = gate.EnterAsync(urgent: true, CancellationToken.None);

        await held.DisposeAsync();

        var first = await urgent;
        scheduled1.IsCompleted.ShouldBeFalse();
        await first.DisposeAsync();
        await (await scheduled1).DisposeAsync();
        await (await scheduled2).DisposeAsync();
        (await gate.EnterAsync(urgent: false, CancellationToken.None)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Passes_of_one_kind_enter_in_the_order_they_came()
    {
        var gate = new LocalSyncGate();
        var held = await gate.EnterAsync(urgent: true, CancellationToken.None);
        var order = new List<int>();
        var waiting = Enumerable.Range(0, 3).Select(async i =>
        {
            await using (await gate.EnterAsync(urgent: true, CancellationToken.None))
                order.Add(i);
        }).ToList();

        await held.DisposeAsync();
        await Task.WhenAll(waiting);

        order.ShouldBe([0, 1, 2]);
    }

    [Fact]
    public async Task A_pass_given_up_while_waiting_leaves_the_line_and_the_next_one_enters()
    {
        var gate = new LocalSyncGate();
        var held = await gate.EnterAsync(urgent: false, CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var abandoned = gate.EnterAsync(urgent: true, giveUp.Token);
        var next = gate.EnterAsync(urgent: false, CancellationToken.None);

        await giveUp.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => abandoned);
        await held.DisposeAsync();

        await (await next).DisposeAsync();
    }

    [Fact]
    public async Task Releasing_twice_hands_the_gate_over_once()
    {
        var gate = new LocalSyncGate();
        var held = await gate.EnterAsync(urgent: false, CancellationToken.None);
        var second = gate.EnterAsync(urgent: false, CancellationToken.None);
        var third = gate.EnterAsync(urgent: false, CancellationToken.None);

        await held.DisposeAsync();
        await held.DisposeAsync();

        await second;
        third.IsCompleted.ShouldBeFalse();
    }
}
