package org.lodge.provisioning.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.DomainName;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.unit.UnitEntity;
import org.yaml.snakeyaml.Yaml;

/** The seed is standard cloud-init NoCloud YAML: what cloud-init (or our test guest) reads back. */
class NoCloudSeedTest {

    private static final String PEM = "-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n";

    private final IpPoolEntity pool = new IpPoolEntity("n", "lodge0", "10.231.0.0/24", "10.231.0.1", "10.231.0.10",
            "10.231.0.250");
    private final UnitEntity vm = UnitEntity.vm(UUID.randomUUID(), "n", UUID.randomUUID(),
            DomainName.parse("www.bücher.example.com"), "10.231.0.20", 256L << 20, 128, 1, "lodge-test");

    @Test
    @SuppressWarnings("unchecked")
    void carriesHostnameAddressAndTheFtpAccountAsAHashOnly() {
        Map<String, String> files = NoCloudSeed.files(vm, pool, "s3cret-Pass", vm.domain(), PEM);
        assertThat(files).containsOnlyKeys("meta-data", "user-data", "network-config");
        assertThat(String.join("\n", files.values())).doesNotContain("s3cret-Pass");
        Yaml yaml = new Yaml();

        Map<String, Object> meta = yaml.load(files.get("meta-data"));
        assertThat(meta).containsEntry("instance-id", vm.id().toString())
                .containsEntry("local-hostname", "www.xn--bcher-kva.example.com");

        assertThat(files.get("user-data")).startsWith("#cloud-config\n");
        Map<String, Object> user = yaml.load(files.get("user-data"));
        Map<String, Object> account = ((List<Map<String, Object>>) user.get("users")).get(0);
        assertThat(account).containsEntry("name", vm.ftpUser()).containsEntry("homedir", "/var/www/www.xn--bcher-kva.example.com");
        String hash = (String) account.get("passwd");
        assertThat(hash).startsWith("$6$");
        assertThat(Sha2Crypt.sha512Crypt("s3cret-Pass".getBytes(StandardCharsets.UTF_8), hash)).isEqualTo(hash);
        List<Map<String, Object>> written = (List<Map<String, Object>>) user.get("write_files");
        assertThat(written.get(0)).containsEntry("path", "/etc/ssl/private/pure-ftpd.pem")
                .containsEntry("permissions", "0600").containsEntry("owner", "root:root");
        assertThat(Base64.getDecoder().decode((String) written.get(0).get("content"))).asString().isEqualTo(PEM);
        Map<String, Object> page = written.get(1);
        assertThat(new String(Base64.getDecoder().decode((String) page.get("content")), StandardCharsets.UTF_8))
                .contains("<h1>www.bücher.example.com</h1>");

        Map<String, Object> network = yaml.load(files.get("network-config"));
        Map<String, Object> eth0 = (Map<String, Object>) ((Map<String, Object>) network.get("ethernets")).get("eth0");
        assertThat((Map<String, Object>) eth0.get("match")).containsEntry("macaddress", vm.mac());
        assertThat(eth0.get("addresses")).isEqualTo(List.of("10.231.0.20/24"));
        assertThat(eth0.get("routes")).isEqualTo(List.of(Map.of("to", "0.0.0.0/0", "via", "10.231.0.1")));
    }

    @Test
    void opensRootToTheCustomersKeyOnlyWhenOneWasGiven() {
        Yaml yaml = new Yaml();
        Map<String, Object> without = yaml.load(NoCloudSeed.files(vm, pool, "x", vm.domain(), PEM).get("user-data"));
        assertThat(without).doesNotContainKeys("disable_root", "ssh_authorized_keys");

        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAZsJPy2J1uN7x0ym8Wl2w1Fmb/Wh/lh6e63LXtxM0HZ me: \"quoted\" # not a comment";
        vm.authorizeSshKey(key);
        Map<String, Object> with = yaml.load(NoCloudSeed.files(vm, pool, "x", vm.domain(), PEM).get("user-data"));
        assertThat(with).containsEntry("disable_root", false).containsEntry("ssh_authorized_keys", List.of(key));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCloneKeepsItsCopiedSiteAndGetsItsOwnFtpsCertificate() {
        String userData = NoCloudSeed.files(vm, pool, "x", "shop.example.com", PEM).get("user-data");
        assertThat(userData).contains("homedir: /var/www/shop.example.com");
        List<Map<String, Object>> written = (List<Map<String, Object>>) ((Map<String, Object>) new Yaml().load(userData))
                .get("write_files");
        assertThat(written).extracting(file -> file.get("path")).containsExactly("/etc/ssl/private/pure-ftpd.pem");
    }
}
