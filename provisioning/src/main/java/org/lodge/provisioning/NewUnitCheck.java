package org.lodge.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.lodge.provisioning.network.AddressBook;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.node.NodeEntity;
import org.lodge.provisioning.node.NodeRepository;
import org.lodge.provisioning.node.TemplateEntity;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Checks a new unit's request against the node (its pools, free disk and VM bounds), the domains
 * hosted and the template catalogue, and turns it into the unit to reserve. Every bad field is
 * reported at once; nothing is written.
 */
@Component
class NewUnitCheck {

    private static final String PLAN_CODE = "[a-z0-9][a-z0-9-]{0,39}";

    private final UnitRepository units;
    private final NodeRepository nodes;
    private final AddressBook addresses;
    private final NodeProperties nodeProps;
    private final TemplateChoices choices;

    NewUnitCheck(UnitRepository units, NodeRepository nodes, AddressBook addresses, NodeProperties nodeProps,
                 TemplateChoices choices) {
        this.units = units;
        this.nodes = nodes;
        this.addresses = addresses;
        this.nodeProps = nodeProps;
        this.choices = choices;
    }

    /** A checked request: the unit to reserve, and the domain and address its late refusals name. */
    record NewUnit(UnitEntity unit, DomainName domain, Ipv4Address ipv4) {
    }

    /**
     * The unit {@code request} describes; a copied disk ({@code copied} not null: a clone's, a VM
     * backup's) gives its template version and SSH key.
     *
     * @throws InvalidRequestException with every field refused
     */
    // In the reservation's transaction (UnitService): one pool check-out, begin and commit for the checks and the insert.
    @Transactional(propagation = Propagation.MANDATORY)
    public NewUnit check(UnitRequest request, CopiedDisk copied) {
        List<InvalidInputException> problems = new ArrayList<>();
        String nodeName = request.node() == null || request.node().isBlank() ? nodeProps.name() : request.node();
        Optional<NodeEntity> node = nodes.findById(nodeName);
        if (node.isEmpty()) {
            problems.add(new InvalidInputException("node", "unknown node '" + nodeName + "'", "node.unknown", nodeName));
        }
        DomainName domain = attempt(problems, () -> DomainName.parse(request.domain()));
        Ipv4Address ipv4 = attempt(problems, () -> Ipv4Address.parse(request.ipv4()));
        DiskSize size = attempt(problems, () -> DiskSize.parse(request.diskSize()));
        IpPoolEntity pool = null;
        if (node.isPresent() && ipv4 != null) {
            Ipv4Address address = ipv4;
            pool = attempt(problems, () -> addresses.poolFor(nodeName, address));
            if (pool != null && addresses.inUse(ipv4)) {
                problems.add(ipAlreadyInUse(ipv4));
            }
        }
        if (domain != null && units.existsByDomain(domain.ascii())) {
            problems.add(domainAlreadyHosted(domain));
        }
        if (request.plan() != null && !request.plan().matches(PLAN_CODE)) {
            problems.add(new InvalidInputException("plan", "a plan code has 1 to 40 characters: a-z, 0-9 and '-'",
                    "unit.plan-code"));
        }
        UnitKind kind = request.kind() == null ? UnitKind.JAIL : request.kind();
        SshPublicKey sshKey = attempt(problems, () -> SshPublicKey.parseOptional(request.sshKey()));
        if (sshKey != null && kind != UnitKind.VM) {
            problems.add(new InvalidInputException("sshKey", "an SSH key is for a VM; a jail is reached by FTP and"
                    + " its console", "unit.ssh-key-jail"));
        }
        VmShape vm = null;
        TemplateEntity template = node.isEmpty() ? null
                : choices.choose(nodeName, kind, request.template(), size, copied != null, problems).orElse(null);
        if (node.isPresent() && size != null) {
            checkFree(node.get(), size, problems);
        }
        if (kind == UnitKind.VM && node.isPresent()) {
            vm = vmShape(node.get(), request, template, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        // A template may need more memory than the node gives a jail by default (PHP-FPM does).
        UnitEntity unit = kind == UnitKind.JAIL
                ? UnitEntity.jail(request.tenantId(), nodeName, pool.id(), domain, ipv4.value(), size.bytes(),
                        Math.max(nodeProps.jailMemoryMib(), template.minMemoryMib()), template.name())
                : UnitEntity.vm(request.tenantId(), nodeName, pool.id(), domain, ipv4.value(), size.bytes(),
                        vm.memoryMib(), vm.vcpus(), template.name());
        // A copied disk comes from the version its VM was made from, and already holds its VM's key:
        // the new seed gives that key again for the new instance.
        unit.madeFromVersion(copied != null ? copied.templateVersion() : template.version());
        unit.authorizeSshKey(copied != null ? copied.sshAuthorizedKey() : sshKey == null ? null : sshKey.line());
        return new NewUnit(unit, domain, ipv4);
    }

    /**
     * The refusal when another request took the domain or the address between our check and our
     * insert, told by the unique key that refused it: nothing is asked of the database, whose
     * transaction the failed insert aborted (it may be a caller's, e.g. a restore into a new unit).
     * Any other key (the unit's id, libvirt name or MAC drawn twice) is not the requester's doing:
     * {@code refused} is rethrown.
     */
    InvalidRequestException takenMeanwhile(NewUnit unit, DataIntegrityViolationException refused) {
        String key = refused.getMostSpecificCause() instanceof PSQLException failed && failed.getServerErrorMessage() != null
                ? failed.getServerErrorMessage().getConstraint() : null;
        if ("unit_domain_key".equals(key)) {
            return new InvalidRequestException(List.of(domainAlreadyHosted(unit.domain())));
        }
        if ("ip_assignment_pkey".equals(key)) {
            return new InvalidRequestException(List.of(ipAlreadyInUse(unit.ipv4())));
        }
        throw refused;
    }

    private static void checkFree(NodeEntity node, DiskSize size, List<InvalidInputException> problems) {
        if (size.bytes() > node.freeDiskBytes()) {
            problems.add(new InvalidInputException("diskSize", size.human() + " is more than the "
                    + DiskSize.ofBytes(node.freeDiskBytes()).human() + " free on node " + node.name(), "unit.disk-free",
                    size.human(), DiskSize.ofBytes(node.freeDiskBytes()).human(), node.name()));
        }
    }

    /** A VM's vCPUs and memory, checked against its template and the node's bounds. */
    private VmShape vmShape(NodeEntity node, UnitRequest request, TemplateEntity template,
                            List<InvalidInputException> problems) {
        if (node.vmsNeedTcg() && !node.vmTcgAllowed()) {
            problems.add(new InvalidInputException("kind", "node " + node.name() + " has no hardware virtualisation,"
                    + " so a VM would run under software emulation (TCG); staff must allow that for the node first"
                    + " (Nodes page)", "unit.vm-needs-tcg", node.name()));
        }
        int minMemory = template == null ? 32 : template.minMemoryMib();
        // Blank memory: the node's default, but never less than the template needs.
        VmShape blank = new VmShape(1, Math.max(nodeProps.vm().defaultMemoryMib(), minMemory));
        Optional<VmShape> shape = VmShape.parse(request.vcpus(), request.memory(), blank, minMemory, node, problems);
        return template == null ? null : shape.orElse(null);
    }

    private static InvalidInputException ipAlreadyInUse(Ipv4Address ipv4) {
        return new InvalidInputException("ipv4", ipv4.value() + " is already in use", "ipv4.in-use", ipv4.value());
    }

    private static InvalidInputException domainAlreadyHosted(DomainName domain) {
        return new InvalidInputException("domain", domain.ascii() + " is already hosted here", "domain.taken",
                domain.unicode());
    }

    private static <T> T attempt(List<InvalidInputException> problems, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidInputException e) {
            problems.add(e);
            return null;
        }
    }
}
