package org.lodge.provisioning;

import java.util.List;
import org.lodge.provisioning.network.AddressBook;
import org.lodge.provisioning.network.IpPoolEntity;
import org.lodge.provisioning.network.IpPoolRepository;
import org.lodge.provisioning.node.NodeEntity;
import org.lodge.provisioning.node.NodeRepository;
import org.lodge.provisioning.node.VmTemplateEntity;
import org.lodge.provisioning.node.VmTemplateRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Nodes with their networks and IP pools, as their workers reported them. */
@Service
public class NodeService {

    private static final int FREE_ADDRESSES_SHOWN = 20;

    private final NodeRepository nodes;
    private final IpPoolRepository pools;
    private final AddressBook addresses;
    private final VmTemplateRepository templates;

    public NodeService(NodeRepository nodes, IpPoolRepository pools, AddressBook addresses,
                       VmTemplateRepository templates) {
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

    /** Staff allow (or stop allowing) new VMs under software emulation on a node without KVM. */
    @StaffOnly
    @Transactional
    public void allowTcg(String nodeName, boolean allowed) {
        nodes.findById(nodeName).orElseThrow(() -> new NotFoundException("node " + nodeName)).allowTcg(allowed);
    }

    private NodeView view(NodeEntity node) {
        List<NodeView.Pool> nodePools = pools.findByNodeNameOrderByNetworkName(node.name()).stream()
                .map(this::view).toList();
        List<NodeView.Template> offered = templates.findByKeyNodeNameOrderByKeyName(node.name()).stream()
                .map(VmTemplateEntity::view).toList();
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
