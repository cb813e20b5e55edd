package org.lodge.billing.invoice;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.lodge.billing.BillingProperties;
import org.lodge.billing.BillingRunResult;
import org.lodge.billing.metering.MeterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The billing run: every tenant with something due gets one invoice for the periods due on
 * that day, each tenant in its own transaction (one tenant's failure does not stop the others),
 * then issued if {@code lodge.billing.auto-issue}. Safe to repeat and to run twice at once.
 */
@Component
public class BillingRunner {

    private static final Logger log = LoggerFactory.getLogger(BillingRunner.class);
    // Twice the cores, at most 4: a tenant's transaction waits on the database half of the time.
    private static final int THREADS = Math.min(4, 2 * Runtime.getRuntime().availableProcessors());

    private final TenantBilling tenants;
    private final Issuer issuer;
    private final InvoiceStore invoices;
    private final BillingProperties props;
    private final MeterStore meters;
    private final Clock clock;

    BillingRunner(TenantBilling tenants, Issuer issuer, InvoiceStore invoices, BillingProperties props,
                  MeterStore meters, Clock billingClock) {
        this.tenants = tenants;
        this.meters = meters;
        this.clock = billingClock;
        this.issuer = issuer;
        this.invoices = invoices;
        this.props = props;
    }

    public BillingRunResult run(LocalDate day) {
        // Usage lines need the ledger's hours up to the day's start (never hours still to come).
        Instant dayStart = day.atStartOfDay(props.zone()).toInstant();
        Instant lastHour = clock.instant().truncatedTo(ChronoUnit.HOURS);
        meters.closeAll(dayStart.isBefore(lastHour) ? dayStart : lastHour);
        // Tenants are independent transactions: a few at once keep the CPU and the database busy.
        List<String> made = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger lines = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (UUID tenant : tenants.tenantsDue(day)) {
                work.add(pool.submit(() -> billOne(tenant, day, made, lines)));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("billing run of " + day + " interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("billing run of " + day, e.getCause());
        } finally {
            pool.shutdownNow();
        }
        log.info("billing run of {}: {} invoice(s), {} line(s)", day, made.size(), lines.get());
        return new BillingRunResult(day, List.copyOf(made), lines.get());
    }

    private void billOne(UUID tenant, LocalDate day, List<String> made, AtomicInteger lines) {
        try {
            Optional<UUID> draft = tenants.bill(tenant, day);
            if (draft.isEmpty()) {
                return;
            }
            lines.addAndGet(invoices.lines(draft.get()).size());
            made.add(props.autoIssue() ? issuer.issue(draft.get(), day) : "draft " + draft.get());
        } catch (RuntimeException e) {
            log.error("billing run of {}: tenant {} not billed", day, tenant, e);
        }
    }
}
