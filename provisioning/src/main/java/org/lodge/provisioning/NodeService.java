package org.lodge.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.lodge.provisioning.network.AddressBook;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.network.IpPoolRepository;
import org.lodge.provisioning.node.NodeAlerts;
import org.lodge.provisioning.node.NodeEntity;
import org.lodge.provisioning.node.NodeRepository;
import org.lodge.provisioning.node.TemplateEntity;
import org.lodge.provisioning.node.TemplateRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Nodes with their networks and IP pools, as their workers reported them. */
@Service
public class NodeService {

    private static final int FREE_ADDRESSES_SHOWN = 20;

    private final NodeRepository nodes;
    private final IpPoolRepository pools;
    private final AddressBook addresses;
    private final TemplateRepository templates;
    private final NodeAlerts alerts;

    public NodeService(NodeRepository nodes, IpPoolRepository pools, AddressBook addresses,
                       TemplateRepository templates, NodeAlerts alerts) {
        this.alerts = alerts;
        this.nodes = nodes;
        this.pools = pools;
        this.addresses = addresses;
        this.templates = templates;
    }

    @Transactional(readOnly = true)
    @StaffOnly
    public List<NodeView> nodes() {
        return nodes.findAll().stream().map(this::view).toList();
    }

    @Transactional(readOnly = true)
    @StaffOnly
    public NodeView node(String nodeName) {
        return view(nodes.findById(nodeName).orElseThrow(() -> NotFoundException.of("node", nodeName)));
    }

    /** Each node's alerts now (storage or memory low, worker silent), by node name; nodes without any left out. */
    @StaffOnly
    public Map<String, List<UnitAlert>> alerts() {
        return alerts.all(Instant.now());
    }

    /** Staff allow (or stop allowing) new VMs under software emulation on a node without KVM. */
    @StaffOnly
    @Transactional
    public void allowTcg(String nodeName, boolean allowed) {
        nodes.findById(nodeName).orElseThrow(() -> NotFoundException.of("node", nodeName)).allowTcg(allowed);
    }

    /**
     * Staff enable or disable a template of the catalogue: a disabled one is offered for no new
     * unit (units made from it keep running). The default of its kind cannot be disabled.
     */
    @StaffOnly
    @Transactional
    public void enableTemplate(String nodeName, String name, boolean enabled) {
        TemplateEntity template = template(nodeName, name);
        if (!enabled && template.isDefault()) {
            throw InvalidRequestException.of("template", name + " is the default " + kindName(template)
                    + " template of node " + nodeName + ": make another one the default before disabling it",
                    "template.default-disable", name, kindName(template), nodeName);
        }
        template.enable(enabled);
    }

    /** Staff make a template the default of its kind on its node (what a request naming none gets). */
    @StaffOnly
    @Transactional
    public void makeDefaultTemplate(String nodeName, String name) {
        TemplateEntity template = template(nodeName, name);
        if (!template.enabled()) {
            throw InvalidRequestException.of("template", name + " is disabled: enable it before making it the default",
                    "template.disabled-default", name);
        }
        for (TemplateEntity other : templates.findByKeyNodeNameAndKindOrderByKeyName(nodeName, template.kind())) {
            other.makeDefault(false);
        }
        // The old default's flag must reach the database before the new one's (one default per kind and node).
        templates.flush();
        template.makeDefault(true);
    }

    private TemplateEntity template(String nodeName, String name) {
        return templates.find(nodeName, name).orElseThrow(() -> NotFoundException.of("template", name, nodeName));
    }

    private static String kindName(TemplateEntity template) {
        return template.kind().name().toLowerCase();
    }

    private NodeView view(NodeEntity node) {
        List<NodeView.Pool> nodePools = pools.findByNodeNameOrderByNetworkName(node.name()).stream()
                .map(this::view).toList();
        List<NodeView.Template> offered = templates.findByKeyNodeNameOrderByKindAscKeyNameAsc(node.name()).stream()
                .map(TemplateEntity::view).toList();
        return new NodeView(node.name(), node.lxcUri(), node.qemuUri(), node.virtType(), node.cpus(), node.memoryBytes(),
                node.freeMemoryBytes(), node.poolCapacityBytes(), node.freeDiskBytes(), node.templateBytes(),
                node.vmMaxVcpus(), node.vmMaxMemoryMib(), node.vmsNeedTcg(), node.vmTcgAllowed(), node.heartbeatAt(), nodePools, offered);
    }

    private NodeView.Pool view(IpPoolEntity pool) {
        long size = pool.range().getCount().longValue();
        return new NodeView.Pool(pool.id(), pool.networkName(), pool.cidr(), pool.gateway(), pool.rangeStart(),
                pool.rangeEnd(), addresses.used(pool), size, addresses.free(pool, FREE_ADDRESSES_SHOWN));
    }
}
