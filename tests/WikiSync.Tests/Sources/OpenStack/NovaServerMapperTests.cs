using System.Text.Json;
using WikiSync.Sources;
using WikiSync.Sources.OpenStack;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Sources.OpenStack;

public sealed class NovaServerMapperTests
{
    private static JsonElement FirstServer(string payload)
    {
        using var doc = JsonDocument.Parse(FakeOpenStack.Payload(payload));
        return doc.RootElement.GetProperty("servers")[0].Clone();
    }

    [Fact]
    public void Microversion_2_47_server_maps_every_field()
    {
        var server = NovaServerMapper.Map(FirstServer("nova-servers-detail-v2.47-page1.json"), "puppet_classes");

        server.TenantId.ShouldBe("6f70656e737461636b20342065766572");
        var i = server.Instance;
        i.Name.ShouldBe("new-server-test");
        i.Id.ShouldBe("764e369e-a874-4401-b7ce-43e4760888da");
        i.State.ShouldBe("ACTIVE");
        i.Addresses.ShouldBe(["192.168.0.3"]);
        i.Image.ShouldBe("70a599e0-31e7-49b7-b260-868f441e862b");
        i.Flavor.ShouldBe("m1.tiny.specs");
        i.Created.ShouldBe(new DateTimeOffset(2017, 2, 14, 19, 24, 42, TimeSpan.Zero));
        i.Metadata["My Server Name"].ShouldBe("Apache1");
        i.Puppet.ShouldBeEmpty();
    }

    [Fact]
    public void Volume_booted_server_has_no_image_and_lists_fixed_before_floating_addresses()
    {
        var i = NovaServerMapper.Map(FirstServer("nova-servers-detail-page2-derived.json"), "puppet_classes").Instance;

        i.Image.ShouldBe("");
        i.Flavor.ShouldBe("1");
        i.Addresses.ShouldBe(["192.168.0.4", "172.24.4.10"]);
        i.Ip.ShouldBe("192.168.0.4");
        i.Puppet.ShouldBe(["role::mediawiki", "profile::base"]);
    }

    [Fact]
    public void Floating_address_listed_first_by_nova_still_comes_after_fixed_ones()
    {
        using var doc = JsonDocument.Parse("""
            {"id": "x", "name": "n", "addresses": {"a": [{"addr": "10.0.0.9", "OS-EXT-IPS:type": "floating"}],
             "b": [{"addr": "172.16.0.2", "OS-EXT-IPS:type": "fixed"}]}, "image": {"id": "i", "name": "debian-12"}}
            """);

        var i = NovaServerMapper.Map(doc.RootElement, "puppet_classes").Instance;

        i.Addresses.ShouldBe(["172.16.0.2", "10.0.0.9"]);
        i.Image.ShouldBe("debian-12");
        i.Created.ShouldBeNull();
    }

    [Fact]
    public void A_server_without_an_id_is_refused_by_name()
    {
        using var doc = JsonDocument.Parse("""{"name": "web-1"}""");

        Should.Throw<SourceException>(() => NovaServerMapper.Map(doc.RootElement, "p")).Message.ShouldContain("without an \"id\"");
    }

    private static List<NovaServer> ZedServers()
    {
        using var doc = JsonDocument.Parse(FakeOpenStack.Payload("nova-servers-detail-zed-all-tenants.json"));
        return doc.RootElement.GetProperty("servers").EnumerateArray().Select(s => NovaServerMapper.Map(s, "puppet_classes")).ToList();
    }

    [Fact]
    public void Zed_servers_map_power_task_and_vm_state_from_the_extended_status()
    {
        var servers = ZedServers().ToDictionary(s => s.Instance.Name, s => s.Instance);

        servers["tools-web-1"].PowerState.ShouldBe("RUNNING");
        servers["tools-web-1"].VmState.ShouldBe("active");
        servers["tools-web-1"].TaskState.ShouldBe("");
        servers["bot-2"].State.ShouldBe("SHUTOFF");
        servers["bot-2"].PowerState.ShouldBe("SHUTDOWN");
        servers["bot-2"].VmState.ShouldBe("stopped");
        // Still ACTIVE, but the fake driver forgot it across a restart: the hypervisor's view differs.
        servers["bot-1"].PowerState.ShouldBe("NOSTATE");
    }

    [Fact]
    public void Zed_server_keeps_its_image_id_for_glance_and_maps_the_rest()
    {
        var server = ZedServers().Single(s => s.Instance.Name == "bot-1");

        server.TenantId.ShouldBe("2b7f4e6bddd04d61b098138c327f34f3");
        server.ImageId.ShouldBe("ee2ce938-b10e-484e-9dba-061cf4b2ff06");
        var i = server.Instance;
        i.Image.ShouldBe("ee2ce938-b10e-484e-9dba-061cf4b2ff06");
        i.Flavor.ShouldBe("m1.small");
        i.Addresses.ShouldBe(["172.16.0.4"]);
        i.Puppet.ShouldBe(["role::bot", "profile::irc"]);
        i.Created.ShouldBe(new DateTimeOffset(2026, 12, 3, 6, 15, 28, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("3", "PAUSED")]
    [InlineData("6", "CRASHED")]
    [InlineData("7", "SUSPENDED")]
    [InlineData("9", "9")]
    [InlineData("\"x\"", "")]
    [InlineData("null", "")]
    public void Power_state_numbers_get_their_names_and_an_unknown_one_stays_a_number(string json, string expected)
    {
        using var doc = JsonDocument.Parse($$"""{"id": "s", "name": "n", "OS-EXT-STS:power_state": {{json}}, "OS-EXT-STS:task_state": "spawning"}""");

        var i = NovaServerMapper.Map(doc.RootElement, "puppet_classes").Instance;

        i.PowerState.ShouldBe(expected);
        i.TaskState.ShouldBe("spawning");
    }

    [Fact]
    public void A_volume_booted_server_has_no_image_to_look_up()
    {
        var server = NovaServerMapper.Map(FirstServer("nova-servers-detail-page2-derived.json"), "puppet_classes");

        server.ImageId.ShouldBeNull();
    }
}
