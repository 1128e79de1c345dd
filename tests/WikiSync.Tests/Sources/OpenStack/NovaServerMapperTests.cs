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
}
