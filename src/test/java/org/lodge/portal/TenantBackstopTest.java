package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.JobFilter;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.UnitView;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * The tenant-scope backstop: if portal code handed a customer's request a scope that is not
 * their own (the bug it guards against), the services refuse before reading anything.
 */
@PortalOnlyTest
class TenantBackstopTest {

    @Autowired
    UnitService units;
    @Autowired
    JobService jobs;
    @Autowired
    TestData data;
    @Autowired
    UserDetailsService users;

    TenantEntity a;
    TenantEntity b;
    UUID unitOfA;
    UUID unitOfB;

    @BeforeEach
    void twoTenantsAndACustomerOfALoggedIn() {
        data.node("backstop-node", 10L << 30);
        a = data.tenant("backstop-a");
        b = data.tenant("backstop-b");
        unitOfA = create(a);
        unitOfB = create(b);
        UserDetails customerOfA = users.loadUserByUsername(data.customer(a));
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                customerOfA, null, customerOfA.getAuthorities()));
    }

    @AfterEach
    void logOut() {
        SecurityContextHolder.clearContext();
    }

    private UUID create(TenantEntity tenant) {
        return AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), "backstop-node", "256M",
                "b" + UUID.randomUUID().toString().substring(0, 8) + ".example.com", data.freeAddress(), null), "staff"))
                .unitId();
    }

    @Test
    void refusesACustomersRequestCarryingEveryTenantsScope() {
        assertThatThrownBy(() -> units.list(TenantScope.all())).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> jobs.list(new JobFilter(null, null, null, null), TenantScope.all(), 10))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void refusesACustomersRequestCarryingAnotherTenantsScope() {
        assertThatThrownBy(() -> units.find(unitOfB, TenantScope.of(b.getId()))).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void servesACustomersRequestCarryingTheirOwnScope() {
        assertThat(units.list(TenantScope.of(a.getId()))).extracting(UnitView::id).contains(unitOfA)
                .doesNotContain(unitOfB);
    }
}
