package org.lodge.provisioning.libvirt;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.libvirt.Connect;
import org.libvirt.Connect.ConnectListAllDomainsFlags;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;

/**
 * Every domain of one libvirt connection with its state, read with four listing calls however
 * many domains there are: libvirt's state filters (running, paused, shut off, other) each return
 * their domains in one call, and a domain's name and ID are held by its handle (no further call).
 * Only the rare "other" states (blocked, crashed, suspended to RAM, shutting down) cost a call
 * each. A domain that changes state during the listing may show in two lists: the later list,
 * read later, wins; one that shows in none is looked up by the caller (see {@link #get}).
 */
public final class DomainListing {

    /** A listed domain: its handle, its state and its ID (-1 when not running). */
    public record Listed(Domain handle, DomainState state, int id) {

        public boolean isActive() {
            return id >= 0;
        }

        /** One domain read on its own (a look-up, not a listing). */
        public static Listed of(Domain domain) {
            try {
                return new Listed(domain, domain.getInfo().state, domain.getID());
            } catch (LibvirtException e) {
                throw LibvirtErrors.classify("domain state", e);
            }
        }
    }

    private final Map<String, Listed> byName;

    private DomainListing(Map<String, Listed> byName) {
        this.byName = byName;
    }

    public static DomainListing of(Connect conn) {
        Map<String, Listed> found = new HashMap<>();
        try {
            add(found, conn.listAllDomains(ConnectListAllDomainsFlags.CONNECT_LIST_DOMAINS_RUNNING), DomainState.VIR_DOMAIN_RUNNING);
            add(found, conn.listAllDomains(ConnectListAllDomainsFlags.CONNECT_LIST_DOMAINS_PAUSED), DomainState.VIR_DOMAIN_PAUSED);
            add(found, conn.listAllDomains(ConnectListAllDomainsFlags.CONNECT_LIST_DOMAINS_SHUTOFF), DomainState.VIR_DOMAIN_SHUTOFF);
            add(found, conn.listAllDomains(ConnectListAllDomainsFlags.CONNECT_LIST_DOMAINS_OTHER), null);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("listing domains", e);
        }
        return new DomainListing(found);
    }

    private static void add(Map<String, Listed> found, Domain[] domains, DomainState state) throws LibvirtException {
        for (Domain domain : domains) {
            found.put(domain.getName(), state == null ? Listed.of(domain) : new Listed(domain, state, domain.getID()));
        }
    }

    /** The domain of that name as listed, or empty when it was not in any list. */
    public Optional<Listed> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }
}
