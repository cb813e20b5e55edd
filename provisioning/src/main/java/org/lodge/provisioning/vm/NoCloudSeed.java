package org.lodge.provisioning.vm;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.WelcomePage;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The cloud-init NoCloud seed of a VM: meta-data (instance id, hostname), user-data (the FTP
 * account with only its SHA-512 crypt hash, the VM's FTPS key and certificate, the welcome page)
 * and network-config v2 (the operator's IPv4 on the NIC with the VM's MAC). Written as YAML by
 * SnakeYAML, never by hand.
 */
public final class NoCloudSeed {

    public static final String LABEL = "CIDATA";
    private static final Yaml YAML = yaml();

    private NoCloudSeed() {
    }

    /**
     * @param siteDomain the domain whose document root the VM serves: its own for a new VM (which
     *                   gets the welcome page), the source's for a clone (which keeps the copied site)
     */
    public static Map<String, String> files(UnitEntity vm, IpPoolEntity pool, String ftpPassword, String siteDomain,
                                            String ftpsPem) {
        boolean welcomePage = siteDomain.equals(vm.domain());
        String docroot = "/var/www/" + siteDomain;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("instance-id", vm.id().toString());
        meta.put("local-hostname", vm.domain());

        Map<String, Object> user = new LinkedHashMap<>();
        user.put("name", vm.ftpUser());
        user.put("homedir", docroot);
        user.put("lock_passwd", false);
        user.put("passwd", Sha2Crypt.sha512Crypt(ftpPassword.getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("path", docroot + "/index.html");
        page.put("encoding", "b64");
        page.put("permissions", "0644");
        page.put("owner", vm.ftpUser() + ":" + vm.ftpUser());
        page.put("content", Base64.getEncoder().encodeToString(WelcomePage.html(vm.domain())
                .getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> userData = new LinkedHashMap<>();
        userData.put("hostname", vm.domain().split("\\.")[0]);
        userData.put("fqdn", vm.domain());
        userData.put("users", List.of(user));
        if (vm.sshAuthorizedKey() != null) {
            // The template disables root and password logins: the customer's key opens root, and only it.
            userData.put("disable_root", false);
            userData.put("ssh_authorized_keys", List.of(vm.sshAuthorizedKey()));
        }
        // The VM's own FTPS key and certificate; written again by a clone, which has its own.
        Map<String, Object> ftps = new LinkedHashMap<>();
        ftps.put("path", UnitCertificates.PURE_FTPD_PEM);
        ftps.put("encoding", "b64");
        ftps.put("permissions", "0600");
        ftps.put("owner", "root:root");
        ftps.put("content", Base64.getEncoder().encodeToString(ftpsPem.getBytes(StandardCharsets.US_ASCII)));
        userData.put("write_files", welcomePage ? List.of(ftps, page) : List.of(ftps));

        Map<String, Object> eth0 = new LinkedHashMap<>();
        eth0.put("match", Map.of("macaddress", vm.mac()));
        eth0.put("set-name", "eth0");
        eth0.put("addresses", List.of(vm.ipv4() + "/" + pool.prefixLength()));
        Map<String, Object> route = new LinkedHashMap<>();
        // Not "default": Debian 12's cloud-init (22.4) accepts only an address there.
        route.put("to", "0.0.0.0/0");
        route.put("via", pool.gateway());
        eth0.put("routes", List.of(route));
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("version", 2);
        network.put("ethernets", Map.of("eth0", eth0));

        Map<String, String> files = new LinkedHashMap<>();
        files.put("meta-data", YAML.dump(meta));
        files.put("user-data", "#cloud-config\n" + YAML.dump(userData));
        files.put("network-config", YAML.dump(network));
        return files;
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        return new Yaml(options);
    }
}
