package org.lodge.provisioning.vm.step;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.network.IpPoolRepository;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.CreateFtpAccount;
import org.lodge.provisioning.vm.NoCloudSeed;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The VM's cloud-init NoCloud seed: a small FAT volume labelled CIDATA with meta-data,
 * user-data and network-config. The guest applies it at boot: hostname, the operator's IPv4,
 * the FTP account (only its hash travels), its own FTPS key and certificate and the welcome page.
 */
@Component
public class WriteSeed extends VmStep {

    private static final long SEED_BYTES = 1L << 20;
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(20);

    private final CreateFtpAccount account;
    private final IpPoolRepository pools;
    private final HostCommands commands;
    private final LibvirtXml xml;
    private final UnitCertificates certificates;

    public WriteSeed(UnitRepository units, VmHost host, TransactionTemplate tx, CreateFtpAccount account,
                     IpPoolRepository pools, HostCommands commands, LibvirtXml xml, UnitCertificates certificates) {
        super(units, host, tx);
        this.account = account;
        this.pools = pools;
        this.commands = commands;
        this.xml = xml;
        this.certificates = certificates;
    }

    @Override
    public String name() {
        return "write-seed";
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException, IOException {
        UnitEntity vm = unit(ctx);
        String name = VmHost.seedName(vm);
        // Rewritten on every run: a revived job gets a seed that matches this job's password.
        Optional<StorageVol> old = host.volume(name);
        if (old.isPresent()) {
            old.get().delete(0);
        }
        StorageVol volume;
        try {
            volume = host.pool().storageVolCreateXML(xml.render("raw-volume", Map.of("name", name,
                    "capacity", SEED_BYTES)), 0);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("creating seed volume " + name, e);
        }
        Path image = Path.of(volume.getPath());
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(SEED_BYTES);
        }
        commands.runChecked(Program.MKFS_VFAT, List.of("-n", NoCloudSeed.LABEL, image.toString()), TOOL_TIMEOUT);
        IpPoolEntity pool = pools.findById(vm.poolId()).orElseThrow();
        Path staging = Files.createTempDirectory("lodge-seed-");
        try {
            String ftpsPem = certificates.issue(vm.domain(), vm.ipv4()).pem();
            for (Map.Entry<String, String> entry : NoCloudSeed.files(vm, pool, account.password(ctx),
                    siteDomain(ctx, vm), ftpsPem).entrySet()) {
                Path file = staging.resolve(entry.getKey());
                Files.writeString(file, entry.getValue(), StandardCharsets.UTF_8);
                commands.runChecked(Program.MCOPY, List.of("-o", "-i", image.toString(), file.toString(),
                        "::" + entry.getKey()), TOOL_TIMEOUT);
            }
        } finally {
            try (var files = Files.list(staging)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(staging);
        }
        ctx.log("NoCloud seed " + name + ": hostname " + vm.domain() + ", " + vm.ipv4() + "/" + pool.prefixLength()
                + " via " + pool.gateway() + " on MAC " + vm.mac() + ", FTP user " + vm.ftpUser()
                + " (password as SHA-512 crypt hash only), FTPS key and certificate for " + vm.domain()
                + " signed by the node CA");
    }

    /** A clone serves the site it copied, from the source's document root. */
    private String siteDomain(JobContext ctx, UnitEntity vm) {
        // A VM restored from a backup into a new unit serves the backed-up unit's site.
        if (ctx.params().hasNonNull("siteDomain")) {
            return ctx.params().path("siteDomain").asText();
        }
        if (!ctx.params().has("source")) {
            return vm.domain();
        }
        return units().findById(java.util.UUID.fromString(ctx.params().path("source").asText()))
                .map(UnitEntity::domain).orElse(vm.domain());
    }

    @Override
    public void compensate(JobContext ctx) throws LibvirtException {
        deleteVolume(ctx, VmHost::seedName);
    }
}
