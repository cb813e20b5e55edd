package org.lodge.billing;

import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.customer.CustomerChecks;
import org.lodge.billing.customer.CustomerStore;
import org.lodge.provisioning.NotFoundException;
import org.lodge.provisioning.TenantScope;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Tenants' billing details: staff keep them; a customer reads their own tenant's. */
@Service
public class Customers {

    private final CustomerStore store;

    public Customers(CustomerStore store) {
        this.store = store;
    }

    public Optional<CustomerDetails> find(UUID tenantId, TenantScope scope) {
        if (!scope.allows(tenantId)) {
            throw NotFoundException.of("tenant", tenantId);
        }
        return store.find(tenantId);
    }

    @PreAuthorize("hasRole('STAFF')")
    public CustomerDetails save(UUID tenantId, CustomerDetails details) {
        CustomerDetails checked = CustomerChecks.normalise(details);
        store.save(tenantId, checked);
        return checked;
    }
}
