package org.lodge.provisioning.unit;

import org.lodge.provisioning.NonPaymentSuspensionLifted;
import org.lodge.provisioning.NonPaymentSuspensionRequested;
import org.lodge.provisioning.NonPaymentTerminationRequested;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitState;
import java.util.List;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.job.JobQueue;
import org.lodge.provisioning.job.JobRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Suspends and unsuspends units for non-payment when billing says so: the mark and the stop (or
 * start) job are written in one transaction. Idempotent: a redelivered request finds the unit
 * marked already and queues nothing. A suspension staff made is never lifted here. Termination
 * deletes only a unit still suspended for non-payment.
 */
@Component
class NonPaymentSuspensions {

    private static final Logger log = LoggerFactory.getLogger(NonPaymentSuspensions.class);
    static final String NON_PAYMENT = "NON_PAYMENT";

    private static final List<JobState> ACTIVE = List.of(JobState.ENQUEUED, JobState.RUNNING, JobState.COMPENSATING);

    private final UnitRepository units;
    private final JobQueue queue;
    private final JobRepository jobs;

    NonPaymentSuspensions(UnitRepository units, JobQueue queue, JobRepository jobs) {
        this.units = units;
        this.queue = queue;
        this.jobs = jobs;
    }

    @ApplicationModuleListener
    void on(NonPaymentSuspensionRequested event) {
        units.findById(event.unitId()).filter(unit -> unit.suspendedFor() == null).ifPresent(unit -> {
            unit.suspend(NON_PAYMENT);
            units.save(unit);
            log.warn("unit {} ({}) suspended for non-payment of invoice {}", unit.id(), unit.domain(), event.invoiceNumber());
            if (unit.state() != UnitState.STOPPED) {
                enqueue(unit, UnitAction.STOP, "billing: invoice " + event.invoiceNumber() + " unpaid");
            }
        });
    }

    @ApplicationModuleListener
    void on(NonPaymentSuspensionLifted event) {
        units.findById(event.unitId()).filter(unit -> NON_PAYMENT.equals(unit.suspendedFor())).ifPresent(unit -> {
            unit.unsuspend();
            units.save(unit);
            log.info("unit {} ({}) paid: suspension lifted", unit.id(), unit.domain());
            // Staff may have started it meanwhile: start only a stopped unit with nothing queued.
            if (unit.state() == UnitState.STOPPED && !jobs.existsByUnitIdAndStateIn(unit.id(), ACTIVE)) {
                enqueue(unit, UnitAction.START, "billing: paid");
            }
        });
    }

    /**
     * Queues the unit's deletion; its backups outlive it ({@code BackupExpiry}). While another job
     * of the unit runs (its stop, say) this throws: the event stays incomplete and is delivered
     * again later, so the delete never races that job.
     */
    @ApplicationModuleListener
    void on(NonPaymentTerminationRequested event) {
        units.findById(event.unitId()).filter(unit -> unit.state() != UnitState.DELETING).ifPresent(unit -> {
            if (!NON_PAYMENT.equals(unit.suspendedFor())) {
                log.warn("unit {} ({}) not terminated for invoice {}: it is not suspended for non-payment ({})",
                        unit.id(), unit.domain(), event.invoiceNumber(), unit.suspendedFor());
                return;
            }
            if (jobs.existsByUnitIdAndStateIn(unit.id(), ACTIVE)) {
                throw new IllegalStateException("unit " + unit.domain() + " has a job in progress; termination waits");
            }
            log.warn("unit {} ({}) terminated for non-payment of invoice {}: deleting it", unit.id(), unit.domain(),
                    event.invoiceNumber());
            enqueue(unit, UnitAction.DELETE, "billing: invoice " + event.invoiceNumber() + " unpaid, terminated");
        });
    }

    private void enqueue(UnitEntity unit, UnitAction action, String actor) {
        action.jobFor(unit.kind()).ifPresent(kind -> queue.enqueue(kind, unit.nodeName(), unit.tenantId(), unit.id(),
                unit.domain(), "{}", null, actor.length() > 64 ? actor.substring(0, 64) : actor));
    }
}
