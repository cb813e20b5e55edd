package org.lodge.provisioning.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.jail.JailTemplates;
import org.lodge.provisioning.vm.VmTemplates;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps this node's rows of the template catalogue true to its disk: the jail and VM templates
 * found there are added (enabled) or refreshed (OS, version, hash, sizes), vanished ones removed.
 * Staff's decisions (enabled, default) stay; a kind with no default gets one: for jails the node's
 * configured template, for VMs {@code lodge.node.vm.default-template} (the fast test guest, not
 * debian-12, which needs more disk, memory and boot time), else the first by name.
 */
@Component
@WorkerRole
public class TemplateReport {

    private final NodeProperties props;
    private final TemplateRepository catalogue;
    private final JailTemplates jailTemplates;
    private final VmTemplates vmTemplates;

    public TemplateReport(NodeProperties props, TemplateRepository catalogue, JailTemplates jailTemplates,
                          VmTemplates vmTemplates) {
        this.props = props;
        this.catalogue = catalogue;
        this.jailTemplates = jailTemplates;
        this.vmTemplates = vmTemplates;
    }

    /**
     * One transaction (the caller's, or its own: the node's registration at start calls its report
     * directly), so the rows it changes are written and a node has its defaults before it takes jobs.
     */
    @Transactional
    public void report() {
        List<TemplateEntity.Found> jails = jailTemplates.all().stream().map(t -> new TemplateEntity.Found(t.name(),
                t.os(), t.version(), t.contentHash(), t.minDiskBytes(), t.minMemoryMib(),
                t.servesPhp() ? "web root served by nginx + PHP-FPM (index.php)" : "web root served as static files"))
                .toList();
        List<TemplateEntity.Found> vms = vmTemplates.all().stream().map(t -> new TemplateEntity.Found(t.name(), t.os(),
                t.version(), t.contentHash(), t.minDiskBytes(), t.minMemoryMib(), t.customisation())).toList();
        Map<String, TemplateEntity> known = catalogue.findByKeyNodeNameOrderByKindAscKeyNameAsc(props.name()).stream()
                .collect(Collectors.toMap(TemplateEntity::name, Function.identity()));
        List<TemplateEntity> seen = new ArrayList<>();
        sync(UnitKind.JAIL, jails, known, seen);
        sync(UnitKind.VM, vms, known, seen);
        catalogue.deleteAll(known.values().stream().filter(t -> !seen.contains(t)).toList());
        catalogue.flush();
        ensureDefault(UnitKind.JAIL, seen, jailTemplates.defaultName());
        ensureDefault(UnitKind.VM, seen, props.vm().defaultTemplate());
    }

    private void sync(UnitKind kind, List<TemplateEntity.Found> found, Map<String, TemplateEntity> known,
                      List<TemplateEntity> seen) {
        for (TemplateEntity.Found template : found) {
            TemplateEntity row = known.get(template.name());
            if (row != null && row.kind() != kind) {
                // A name taken by the other kind: the catalogue keys on the name alone.
                continue;
            }
            if (row == null) {
                row = catalogue.save(new TemplateEntity(props.name(), kind, template));
            } else {
                row.report(template);
            }
            seen.add(row);
        }
    }

    private static void ensureDefault(UnitKind kind, List<TemplateEntity> seen, String preferred) {
        List<TemplateEntity> ofKind = seen.stream().filter(t -> t.kind() == kind).toList();
        if (ofKind.stream().anyMatch(TemplateEntity::isDefault)) {
            return;
        }
        ofKind.stream().filter(t -> t.enabled() && t.name().equals(preferred)).findFirst()
                .or(() -> ofKind.stream().filter(TemplateEntity::enabled).findFirst())
                .ifPresent(t -> t.makeDefault(true));
    }
}
