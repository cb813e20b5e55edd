package org.lodge.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Money;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.billing.subscription.PlanChanges;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.UnitKind;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;

/** Upgrades and downgrades within a period billed in advance are prorated by day at the next run. */
@PortalOnlyTest
class PlanChangeTest {

    @Autowired
    TestData data;
    @Autowired
    PlanStore plans;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    PlanChanges changes;
    @Autowired
    BillingRunner runner;
    @Autowired
    InvoiceStore invoices;

    private String plan(String price, long diskMib) {
        UUID id = UUID.randomUUID();
        String code = "c-" + id.toString().substring(0, 8);
        plans.insert(id, code, "Plan " + price, UnitKind.JAIL, diskMib << 20, 64, 1, 0, false);
        plans.price(id, LocalDate.parse("2020-01-01"), Money.of(price));
        return code;
    }

    private List<InvoiceView> invoicesOf(TenantEntity tenant) {
        List<InvoiceView> oldestFirst = new java.util.ArrayList<>(invoices.list(Optional.of(tenant.getId())));
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    @Test
    void anUpgradeMidPeriodCreditsTheOldPriceAndChargesTheNewOneForTheRemainingDays() {
        TenantEntity tenant = data.tenant("upgrade");
        String small = plan("10.00", 1024);
        String big = plan("31.00", 2048);
        UUID unit = UUID.randomUUID();
        subscriptions.start(tenant.getId(), unit, "up.example.com", plans.byCode(small, LocalDate.now()).get().id(),
                LocalDate.parse("2025-01-10"), 1L << 30);
        runner.run(LocalDate.parse("2025-01-10"));

        changes.change(unit, big, LocalDate.parse("2025-01-20"), "staff");
        runner.run(LocalDate.parse("2025-01-20"));
        runner.run(LocalDate.parse("2025-01-21"));

        List<InvoiceView> billed = invoicesOf(tenant);
        assertThat(billed).hasSize(2);
        // 21 of the period's 31 days remain: -10.00 × 21/31 = -6.77, +31.00 × 21/31 = 21.00
        assertThat(billed.get(1).lines()).extracting(InvoiceView.Line::net)
                .containsExactlyInAnyOrder(Money.of("-6.77"), Money.of("21.00"));
        assertThat(billed.get(1).lines()).allSatisfy(line -> {
            assertThat(line.periodStart()).isEqualTo(LocalDate.parse("2025-01-20"));
            assertThat(line.periodEnd()).isEqualTo(LocalDate.parse("2025-02-10"));
        });
        assertThat(billed.get(1).net()).isEqualTo(Money.of("14.23"));

        runner.run(LocalDate.parse("2025-02-10"));
        assertThat(invoicesOf(tenant).get(2).lines()).singleElement()
                .satisfies(line -> assertThat(line.net()).isEqualTo(Money.of("31.00")));
    }

    @Test
    void chainedChangesBillEachPlanForItsOwnDaysAlsoWhenTheRunComesLate() {
        TenantEntity tenant = data.tenant("chain");
        String a = plan("30.00", 1024);
        String b = plan("60.00", 1024);
        String c = plan("90.00", 1024);
        UUID unit = UUID.randomUUID();
        // billing day 1, April has 30 days; no run until the 25th
        subscriptions.start(tenant.getId(), unit, "chain.example.com", plans.byCode(a, LocalDate.now()).get().id(),
                LocalDate.parse("2025-04-01"), 1L << 30);
        changes.change(unit, b, LocalDate.parse("2025-04-11"), "staff");
        changes.change(unit, c, LocalDate.parse("2025-04-21"), "staff");
        runner.run(LocalDate.parse("2025-04-25"));
        InvoiceView invoice = invoicesOf(tenant).get(0);
        // A for 10 days (10.00) + B for 10 days (20.00) + C for 10 days (30.00)
        assertThat(invoice.net()).isEqualTo(Money.of("60.00"));
        assertThat(invoice.lines()).hasSize(5);
        runner.run(LocalDate.parse("2025-04-25"));
        assertThat(invoicesOf(tenant)).hasSize(1);
    }

    @Test
    void aChangeOnTheBillingDayAfterTheRunBillsTheWholePeriodAtTheNewPlan() {
        TenantEntity tenant = data.tenant("same-day");
        String a = plan("30.00", 1024);
        String b = plan("15.00", 1024);
        UUID unit = UUID.randomUUID();
        subscriptions.start(tenant.getId(), unit, "down.example.com", plans.byCode(a, LocalDate.now()).get().id(),
                LocalDate.parse("2025-06-05"), 1L << 30);
        runner.run(LocalDate.parse("2025-06-05"));
        changes.change(unit, b, LocalDate.parse("2025-06-05"), "staff");
        runner.run(LocalDate.parse("2025-06-05"));
        List<InvoiceView> billed = invoicesOf(tenant);
        assertThat(billed).hasSize(2);
        assertThat(billed.get(1).net()).isEqualTo(Money.of("-15.00"));
    }

    @Test
    void refusesASmallerDiskAnotherKindAndASecondChangeTheSameDay() {
        TenantEntity tenant = data.tenant("refused");
        String two = plan("20.00", 2048);
        String one = plan("10.00", 1024);
        String three = plan("30.00", 3072);
        UUID unit = UUID.randomUUID();
        subscriptions.start(tenant.getId(), unit, "r.example.com", plans.byCode(two, LocalDate.now()).get().id(),
                LocalDate.parse("2025-08-01"), 2L << 30);
        assertThatThrownBy(() -> changes.change(unit, one, LocalDate.parse("2025-08-10"), "staff"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("never shrinks");
        assertThatThrownBy(() -> changes.change(unit, "vm-basic", LocalDate.parse("2025-08-10"), "staff"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no jail plan");
        changes.change(unit, three, LocalDate.parse("2025-08-10"), "staff");
        assertThatThrownBy(() -> changes.change(unit, two, LocalDate.parse("2025-08-10"), "staff"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("one change a day");
        assertThat(subscriptions.byUnit(unit).get().planCode()).isEqualTo(three);
    }
}
