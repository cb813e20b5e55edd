package org.lodge.provisioning.jail.step;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.jail.ImageSwap;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.JailTemplates;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * Builds the stopped jail's root again from a template, beside the current image (same size, uid
 * range, domain and address; the creation's own build, with this job's new FTP password), checks
 * it with {@code e2fsck -fn}, swaps it in ({@link ImageSwap}, as the in-place restore does) and
 * defines the domain again, since it mounts the template's shared directories. The unit records
 * the template and version it now runs. Undoing it puts the previous image, template and
 * definition back, so a failed reinstall leaves the jail as it was.
 */
@Component
public class ReinstallJailImage extends UnitStep {

    private static final Duration CHECK = Duration.ofMinutes(5);

    private final JailHost host;
    private final JailTemplates templates;
    private final BuildRootFilesystem rootfs;
    private final DefineDomain define;
    private final HostCommands commands;

    public ReinstallJailImage(UnitRepository units, JailHost host, JailTemplates templates, BuildRootFilesystem rootfs,
                              DefineDomain define, HostCommands commands) {
        super(units);
        this.host = host;
        this.templates = templates;
        this.rootfs = rootfs;
        this.define = define;
        this.commands = commands;
    }

    @Override
    public String name() {
        return "reinstall-image";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(10);
    }

    @Override
    public void execute(JobContext ctx) throws Exception {
        UnitEntity jail = unit(ctx);
        ImageSwap swap = new ImageSwap(Path.of(host.imagePath(jail)), ctx.jobId());
        if (swap.swapped()) {
            ctx.log(JobWords.ALREADY_REINSTALLED.with(jail.template(), jail.templateVersion()));
        } else {
            if (host.isRunning(jail) || host.isMounted(jail)) {
                throw new IllegalStateException("the jail must be stopped and its image unmounted to reinstall it");
            }
            JailTemplates.Template template = templates.of(ctx.params().path("template").asText());
            // A template may need more memory than the jail had (PHP-FPM does); never less than before.
            int memory = Math.max(jail.memoryMib(), template.minMemoryMib());
            units().recordTemplate(jail.id(), template.name(), template.version(), memory);
            jail = unit(ctx);
            Path fresh = swap.prepareFresh(jail.diskBytes());
            rootfs.build(ctx, jail, template, fresh.toString());
            HostCommands.Result fsck = commands.run(Program.E2FSCK, List.of("-f", "-n", fresh.toString()), CHECK);
            if (fsck.exitCode() != 0) {
                throw new IllegalStateException("the new image fails e2fsck -fn (exit " + fsck.exitCode() + ")");
            }
            swap.swapIn();
            ctx.log(JobWords.REINSTALLED.with(template.name(), template.version(), memory));
        }
        define.execute(ctx);
    }

    @Override
    public void compensate(JobContext ctx) throws IOException {
        Optional<UnitEntity> found = unitIfPresent(ctx);
        if (found.isEmpty()) {
            return;
        }
        UnitEntity jail = found.get();
        ImageSwap swap = new ImageSwap(Path.of(host.imagePath(jail)), ctx.jobId());
        if (swap.keepsPrevious() && (host.isRunning(jail) || host.isMounted(jail))) {
            throw new IllegalStateException("the jail still uses the new image; stop it first");
        }
        if (swap.putBack()) {
            ctx.log(JobWords.PREVIOUS_IMAGE_BACK.with());
        }
        JsonNode from = ctx.params().path("from");
        if (from.has("memoryMib")) {
            units().recordTemplate(jail.id(), from.hasNonNull("template") ? from.get("template").asText() : null,
                    from.hasNonNull("version") ? from.get("version").asText() : null, from.path("memoryMib").asInt());
            if (host.domain(jail).isPresent()) {
                define.execute(ctx);
            }
            ctx.log(JobWords.TEMPLATE_AGAIN.with(from.path("template").asText("of its node")));
        }
    }
}
