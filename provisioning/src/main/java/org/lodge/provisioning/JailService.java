package org.lodge.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.jail.JailEntity;
import org.lodge.provisioning.jail.JailRepository;
import org.lodge.provisioning.jail.JailReservations;
import org.lodge.provisioning.job.JobEntity;
import org.lodge.provisioning.job.JobQueue;
import org.lodge.provisioning.job.JobRepository;
import org.lodge.provisioning.network.AddressBook;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.node.NodeEntity;
import org.lodge.provisioning.node.NodeRepository;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The jail side of the provisioning API: checks the operator's input and turns it into queued
 * jobs. It writes intents to the database only; the node's worker does the work.
 */
@Service
public class JailService {

    /** Room an image needs beyond the template's files: ext4 metadata, journal, the jail's own files. */
    private static final long FILESYSTEM_OVERHEAD = 12L << 20;
    private static final List<JobState> ACTIVE = List.of(JobState.ENQUEUED, JobState.RUNNING, JobState.COMPENSATING);

    private final JailRepository jails;
    private final NodeRepository nodes;
    private final AddressBook addresses;
    private final JailReservations reservations;
    private final JobRepository jobs;
    private final JobQueue queue;
    private final NodeProperties nodeProps;

    public JailService(JailRepository jails, NodeRepository nodes, AddressBook addresses,
                       JailReservations reservations, JobRepository jobs, JobQueue queue, NodeProperties nodeProps) {
        this.jails = jails;
        this.nodes = nodes;
        this.addresses = addresses;
        this.reservations = reservations;
        this.jobs = jobs;
        this.queue = queue;
        this.nodeProps = nodeProps;
    }

    /** Validates everything, then reserves address and domain and queues the creation job. */
    public JobView requestJail(JailRequest request, String actor) {
        if (request.idempotencyKey() != null) {
            Optional<JobEntity> earlier = jobs.findByIdempotencyKey(request.idempotencyKey());
            if (earlier.isPresent() && earlier.get().tenantId().equals(request.tenantId())) {
                return earlier.get().view();
            }
        }
        List<InvalidInputException> problems = new ArrayList<>();
        String nodeName = request.node() == null || request.node().isBlank() ? nodeProps.name() : request.node();
        Optional<NodeEntity> node = nodes.findById(nodeName);
        if (node.isEmpty()) {
            problems.add(new InvalidInputException("node", "unknown node '" + nodeName + "'"));
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
        if (domain != null && jails.existsByDomain(domain.ascii())) {
            problems.add(domainAlreadyHosted(domain));
        }
        if (node.isPresent() && size != null) {
            checkSize(node.get(), size, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        JailEntity jail = new JailEntity(request.tenantId(), nodeName, pool.id(), domain, ipv4.value(), size.bytes(),
                nodeProps.jailMemoryMib());
        try {
            return reservations.reserve(jail, request.idempotencyKey(), actor).view();
        } catch (DataIntegrityViolationException race) {
            // Another request took the address or the domain between our check and our insert.
            throw jails.existsByDomain(domain.ascii())
                    ? new InvalidRequestException(List.of(domainAlreadyHosted(domain)))
                    : new InvalidRequestException(List.of(ipAlreadyInUse(ipv4)));
        }
    }

    @Transactional
    public JobView requestAction(UUID jailId, JailAction action, TenantScope scope, String actor) {
        JailEntity jail = owned(jailId, scope);
        if (action == JailAction.DELETE && jail.state() == JailState.DELETING) {
            throw InvalidRequestException.of("action", "jail " + jail.domain() + " is already being deleted");
        }
        return enqueue(jail, action.kind(), "{}", actor);
    }

    /** Grows the jail's image (offline: the job stops, grows and checks the filesystem, restarts). */
    @Transactional
    public JobView requestGrow(UUID jailId, String newSize, TenantScope scope, String actor) {
        JailEntity jail = owned(jailId, scope);
        DiskSize size;
        try {
            size = DiskSize.parse(newSize);
        } catch (InvalidInputException e) {
            throw new InvalidRequestException(List.of(e));
        }
        if (size.bytes() <= jail.diskBytes()) {
            throw InvalidRequestException.of("diskSize", "the new size " + size.human() + " must be larger than the current "
                    + DiskSize.ofBytes(jail.diskBytes()).human() + " (images only grow)");
        }
        NodeEntity node = nodes.findById(jail.nodeName()).orElseThrow();
        long growth = size.bytes() - jail.diskBytes();
        if (growth > node.freeDiskBytes()) {
            throw InvalidRequestException.of("diskSize", "growing by " + DiskSize.ofBytes(growth).human()
                    + " needs more than the " + DiskSize.ofBytes(node.freeDiskBytes()).human() + " free on node " + node.name());
        }
        return enqueue(jail, JobKind.GROW_JAIL_DISK, "{\"diskBytes\":" + size.bytes() + "}", actor);
    }

    @Transactional(readOnly = true)
    public List<JailView> list(TenantScope scope) {
        List<JailEntity> found = scope.tenantId().map(jails::findByTenantIdOrderByDomain)
                .orElseGet(jails::findAllByOrderByDomain);
        return found.stream().map(JailEntity::view).toList();
    }

    @Transactional(readOnly = true)
    public JailView find(UUID jailId, TenantScope scope) {
        return owned(jailId, scope).view();
    }

    private JobView enqueue(JailEntity jail, JobKind kind, String params, String actor) {
        if (jail.state() == JailState.PROVISIONING || jobs.existsByUnitIdAndStateIn(jail.id(), ACTIVE)) {
            throw InvalidRequestException.of("action", "jail " + jail.domain() + " has a job in progress; wait for it to end");
        }
        return queue.enqueue(kind, jail.nodeName(), jail.tenantId(), jail.id(), jail.domain(), params, null, actor).view();
    }

    private JailEntity owned(UUID jailId, TenantScope scope) {
        return jails.findById(jailId).filter(j -> scope.allows(j.tenantId()))
                .orElseThrow(() -> new NotFoundException("jail " + jailId));
    }

    private static void checkSize(NodeEntity node, DiskSize size, List<InvalidInputException> problems) {
        long need = node.templateBytes() + FILESYSTEM_OVERHEAD;
        if (size.bytes() < need) {
            problems.add(new InvalidInputException("diskSize", size.human() + " is below what the jail template needs ("
                    + DiskSize.ofBytes(need).human() + " at least)"));
        } else if (size.bytes() > node.freeDiskBytes()) {
            problems.add(new InvalidInputException("diskSize", size.human() + " is more than the "
                    + DiskSize.ofBytes(node.freeDiskBytes()).human() + " free on node " + node.name()));
        }
    }

    private static InvalidInputException ipAlreadyInUse(Ipv4Address ipv4) {
        return new InvalidInputException("ipv4", ipv4.value() + " is already in use");
    }

    private static InvalidInputException domainAlreadyHosted(DomainName domain) {
        return new InvalidInputException("domain", domain.ascii() + " is already hosted here");
    }

    private static <T> T attempt(List<InvalidInputException> problems, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidInputException e) {
            problems.add(e);
            return null;
        }
    }
}
