package org.lodge.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.lodge.provisioning.node.TemplateEntity;
import org.lodge.provisioning.node.TemplateRepository;
import org.lodge.provisioning.unit.UnitEntity;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reinstalling a unit: its site (a VM: its whole disk) reset to a template of the catalogue (its
 * own by default, or another enabled one of its kind that fits its disk, and a VM's memory: a VM
 * keeps its shape), keeping domain, address and disk size.
 * Self-service on the caller's own units and open to staff, but only once the unit's domain is
 * typed exactly: anything else is refused and nothing is queued.
 */
@Service
public class ReinstallService {

    private final UnitJobs unitJobs;
    private final TemplateChoices choices;
    private final TemplateRepository templates;
    private final ObjectMapper json;

    ReinstallService(UnitJobs unitJobs, TemplateChoices choices, TemplateRepository templates, ObjectMapper json) {
        this.templates = templates;
        this.unitJobs = unitJobs;
        this.choices = choices;
        this.json = json;
    }

    /** The templates a unit may be reinstalled from, its own first: what {@link #requestReinstall} accepts. */
    @Transactional(readOnly = true)
    public List<String> templates(UUID unitId, TenantScope scope) {
        UnitEntity unit = unitJobs.owned(unitId, scope);
        List<String> names = new ArrayList<>();
        if (unit.template() != null) {
            names.add(unit.template());
        }
        templates.findByKeyNodeNameAndKindOrderByKeyName(unit.nodeName(), unit.kind()).stream()
                .filter(TemplateEntity::enabled).filter(t -> t.minDiskBytes() <= unit.diskBytes())
                .filter(t -> fitsMemory(unit, t))
                .map(TemplateEntity::name).filter(name -> !names.contains(name)).forEach(names::add);
        return names;
    }

    @Transactional
    public JobView requestReinstall(UUID unitId, String confirm, String template, TenantScope scope, String actor) {
        UnitEntity unit = unitJobs.owned(unitId, scope);
        String typed = confirm == null ? "" : confirm.strip();
        String unicode = DomainName.stored(unit.domain()).unicode();
        if (!typed.equals(unit.domain()) && !typed.equals(unicode)) {
            throw InvalidRequestException.of("confirm", "type the domain " + unicode + " exactly to confirm the reinstall;"
                    + " nothing was changed", "reinstall.mismatch", unicode);
        }
        String kindName = unit.kind().name().toLowerCase();
        JobKind kind = UnitAction.REINSTALL.jobFor(unit.kind()).orElseThrow(() -> InvalidRequestException.of("action",
                "a " + kindName + " cannot be reinstalled yet", "reinstall.kind", kindName));
        if (!UnitAction.REINSTALL.offeredIn(unit.state())) {
            throw InvalidRequestException.of("action", unicode + " is " + unit.state().name().toLowerCase()
                    + ": only a running or stopped unit can be reinstalled", "reinstall.state", unicode, unit.state().label());
        }
        if (unit.suspendedFor() != null && !scope.isStaff()) {
            throw InvalidRequestException.of("action", unicode + " is suspended: it cannot be reinstalled until the"
                    + " suspension is lifted", "reinstall.suspended", unicode);
        }
        // Blank: its own template (a unit from before the catalogue has none: the node's default).
        String wanted = template == null || template.isBlank() ? unit.template() : template.strip();
        List<InvalidInputException> problems = new ArrayList<>();
        // Its own template stays allowed even if staff disabled it since (as a clone's source's does).
        TemplateEntity chosen = choices.choose(unit.nodeName(), unit.kind(), wanted, DiskSize.ofBytes(unit.diskBytes()),
                wanted != null && wanted.equals(unit.template()), problems).orElse(null);
        if (chosen != null && !fitsMemory(unit, chosen)) {
            problems.add(new InvalidInputException("template", "template " + chosen.name() + " needs "
                    + chosen.minMemoryMib() + " MiB of memory at least; this VM has " + unit.memoryMib() + " MiB",
                    "reinstall.memory", chosen.name(), chosen.minMemoryMib(), unit.memoryMib()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return unitJobs.enqueue(unit, kind, params(unit, chosen), actor);
    }

    /** A jail's memory is raised to its new template's minimum; a VM keeps its memory, so it must be enough. */
    private static boolean fitsMemory(UnitEntity unit, TemplateEntity template) {
        return unit.kind() != UnitKind.VM || template.minMemoryMib() <= unit.memoryMib();
    }

    /** The template to install, and what the unit ran before (a failed reinstall puts it back). */
    private String params(UnitEntity unit, TemplateEntity template) {
        ObjectNode params = json.createObjectNode().put("template", template.name());
        params.putObject("from").put("template", unit.template()).put("version", unit.templateVersion())
                .put("memoryMib", unit.memoryMib());
        try {
            return json.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
