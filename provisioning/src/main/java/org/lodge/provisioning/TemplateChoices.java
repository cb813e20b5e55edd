package org.lodge.provisioning;

import java.util.List;
import java.util.Optional;
import org.lodge.provisioning.node.TemplateEntity;
import org.lodge.provisioning.node.TemplateRepository;
import org.springframework.stereotype.Component;

/**
 * Picks the catalogue template a new unit is made from: the one named, or the node's default of
 * the unit's kind; refused (with what is offered instead) when it is unknown, of the other kind,
 * disabled, or needs a larger disk than asked for.
 */
@Component
class TemplateChoices {

    private final TemplateRepository templates;

    TemplateChoices(TemplateRepository templates) {
        this.templates = templates;
    }

    /**
     * The template for a unit of {@code kind} on {@code node}; empty with a problem added when there
     * is none to use. A clone copies its source's disk, so its source's template may be disabled since.
     */
    Optional<TemplateEntity> choose(String node, UnitKind kind, String requested, DiskSize size, boolean clone,
                                    List<InvalidInputException> problems) {
        List<TemplateEntity> ofKind = templates.findByKeyNodeNameAndKindOrderByKeyName(node, kind);
        String kindName = kind.name().toLowerCase();
        Optional<TemplateEntity> chosen;
        if (requested == null || requested.isBlank()) {
            chosen = ofKind.stream().filter(TemplateEntity::isDefault).findFirst();
            if (chosen.isEmpty()) {
                problems.add(offered(ofKind).isEmpty()
                        ? new InvalidInputException("template", "node " + node + " offers no " + kindName + " template",
                                "template.none-" + kindName, node)
                        : new InvalidInputException("template", "node " + node + " has no default " + kindName
                                + " template: name one of " + names(ofKind), "template.no-default-" + kindName, node,
                                names(ofKind)));
                return Optional.empty();
            }
        } else {
            chosen = templates.find(node, requested.strip());
            String shown = InvalidInputException.quote(requested.strip());
            if (chosen.isEmpty()) {
                problems.add(new InvalidInputException("template", "unknown " + kindName + " template " + shown
                        + "; node " + node + " offers: " + names(ofKind), "template.unknown-" + kindName, shown, node,
                        names(ofKind)));
                return Optional.empty();
            }
            if (chosen.get().kind() != kind) {
                problems.add(new InvalidInputException("template", shown + " is a "
                        + chosen.get().kind().name().toLowerCase() + " template; a " + kindName + " is made from: "
                        + names(ofKind), "template.wrong-kind-" + kindName, shown, names(ofKind)));
                return Optional.empty();
            }
            if (!chosen.get().enabled() && !clone) {
                problems.add(new InvalidInputException("template", shown + " is disabled on node " + node
                        + "; enabled " + kindName + " templates: " + names(ofKind), "template.disabled-" + kindName,
                        shown, node, names(ofKind)));
                return Optional.empty();
            }
        }
        TemplateEntity template = chosen.get();
        if (size != null && size.bytes() < template.minDiskBytes()) {
            problems.add(new InvalidInputException("diskSize", size.human() + " is below what template "
                    + template.name() + " needs (" + DiskSize.ofBytes(template.minDiskBytes()).human() + " at least)",
                    "template.disk-too-small", size.human(), template.name(), DiskSize.ofBytes(template.minDiskBytes()).human()));
        }
        return chosen;
    }

    private static List<TemplateEntity> offered(List<TemplateEntity> ofKind) {
        return ofKind.stream().filter(TemplateEntity::enabled).toList();
    }

    private static String names(List<TemplateEntity> ofKind) {
        List<String> names = offered(ofKind).stream().map(TemplateEntity::name).toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
