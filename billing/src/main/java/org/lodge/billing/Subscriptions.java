package org.lodge.billing;

import java.util.List;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.provisioning.TenantScope;
import org.springframework.stereotype.Service;

/** Which plan each unit is on: staff see every tenant's subscriptions, customers their own. */
@Service
public class Subscriptions {

    private final SubscriptionStore store;

    public Subscriptions(SubscriptionStore store) {
        this.store = store;
    }

    public List<SubscriptionView> list(TenantScope scope) {
        return store.list(scope.tenantId());
    }
}
