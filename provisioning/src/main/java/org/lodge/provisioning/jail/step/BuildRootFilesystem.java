package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.unit.step.CreateFtpAccount;
import org.lodge.provisioning.unit.step.UnitStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.JailTemplates;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.jail.RootFilesystem;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.tls.UnitCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Formats the image as ext4 filled from the template and the jail's own files (web root, FTP
 * account, hostname, the jail's own FTPS key and certificate). Repeating it rebuilds the same filesystem, so it is idempotent.
 */
@Component
public class BuildRootFilesystem extends UnitStep {

    private static final Logger log = LoggerFactory.getLogger(BuildRootFilesystem.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** Beside the step: the FTPS key pair and certificate, and the removal of the staging tree. */
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "root-filesystem-helper");
        thread.setDaemon(true);
        return thread;
    });

    private final JailHost host;
    private final HostCommands commands;
    private final CreateFtpAccount account;
    private final NodeProperties node;
    private final UnitCertificates certificates;
    private final JailTemplates templates;

    public BuildRootFilesystem(UnitRepository jails, JailHost host, HostCommands commands, CreateFtpAccount account,
                               NodeProperties node, UnitCertificates certificates, JailTemplates templates) {
        super(jails);
        this.templates = templates;
        this.host = host;
        this.commands = commands;
        this.account = account;
        this.node = node;
        this.certificates = certificates;
    }

    @Override
    public String name() {
        return "root-filesystem";
    }

    @Override
    public Duration timeout() {
        return TIMEOUT;
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity jail = unit(ctx);
        if (host.domain(jail).isPresent()) {
            // A revived job: the domain is defined only after the filesystem is complete, and the
            // jail may be running on it already, so it must not be formatted again.
            ctx.log("filesystem already built (the domain exists)");
            return;
        }
        JailTemplates.Template template = templates.of(jail);
        if (!template.version().equals(jail.templateVersion())) {
            // The node's tree changed since the catalogue row the portal chose from: record the truth.
            units().recordTemplateVersion(jail.id(), template.version());
            ctx.log("template " + template.name() + " is " + template.version() + " on this node (the request saw "
                    + jail.templateVersion() + ")");
        }
        build(ctx, jail, template, host.existingImage(jail).toString());
    }

    private static String issued(CompletableFuture<String> pem) {
        try {
            return pem.join();
        } catch (CompletionException e) {
            // The issuer's own message ("issuing the FTPS certificate of ... failed: ..."), not the wrapper's.
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Formats {@code image} (a file of the jail's size) as the jail's root made from {@code template},
     * with this job's FTP password and a new FTPS certificate: a creation's image, or a reinstall's.
     */
    public void build(JobContext ctx, UnitEntity jail, JailTemplates.Template template, String image) throws IOException {
        // The key pair and signature (CPU) are made on another thread while this one reads the
        // password, hashes it and copies the template: on two cores, side by side.
        CompletableFuture<String> pem = CompletableFuture.supplyAsync(
                () -> certificates.issue(jail.domain(), jail.ipv4()).pem(), HELPERS);
        // Beside the pool, not in it: libvirt would list a directory in the pool as a volume.
        Path stagingRoot = Files.createDirectories(Path.of(node.storageDir()).resolveSibling("staging"));
        Path staging = Files.createTempDirectory(stagingRoot, jail.libvirtName() + "-");
        try {
            RootFilesystem.stage(template, staging, jail, account.password(ctx), () -> issued(pem));
            // root_owner: mkfs -d does not copy the owner of the top directory itself.
            commands.runChecked(Program.MKFS_EXT4, RootFilesystem.mkfsArguments(jail, staging, image), TIMEOUT);
            ctx.log("ext4 built on " + image + " from template " + template.name() + " " + template.version() + " ("
                    + template.os() + "), web root " + RootFilesystem.docroot(jail) + " with "
                    + RootFilesystem.indexFile(template.servesPhp()) + " owned by " + jail.ftpUser() + ", FTPS key and certificate for "
                    + jail.domain() + " (signed by the node CA) in /" + RootFilesystem.FTPS_PEM);
        } finally {
            // The image holds the tree now; the job need not wait for the copy (with its key) to go.
            HELPERS.execute(() -> {
                try {
                    RootFilesystem.delete(staging);
                } catch (IOException e) {
                    log.warn("staging tree {} not removed", staging, e);
                }
            });
        }
    }
}
