using WikiSync.Model;
using WikiSync.Rendering;
using WikiSync.Testing;

namespace WikiSync.Tests.Rendering;

public sealed class InstanceStateTests
{
    private static string Render(string template, Instance instance)
    {
        var project = new Project("bots", "", [], [instance]);
        var context = new RenderContext(project, [project], [], new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero), "Nova Resource:Bots",
            new Dictionary<string, string>());
        return InlineTemplates.Set([("t", template)]).Get("t").Render(context);
    }

    private static Instance Bot => new("bot-1", "id-1", "ACTIVE", ["172.16.0.4"], "debian-12-tiny", "m1.small", null, [], new Dictionary<string, string>());

    [Fact]
    public void Templates_read_the_power_task_and_vm_state_of_an_instance()
    {
        var text = Render("{{ for i in project.instances }}{{ i.power_state }}/{{ i.task_state }}/{{ i.vm_state }}{{ end }}",
            Bot with { PowerState = "RUNNING", TaskState = "rebooting", VmState = "active" });

        text.ShouldBe("RUNNING/rebooting/active");
    }

    [Fact]
    public void An_instance_from_a_source_without_states_renders_them_empty()
    {
        Render("{{ for i in project.instances }}[{{ i.power_state }}{{ i.task_state }}{{ i.vm_state }}]{{ end }}", Bot).ShouldBe("[]");
    }
}
