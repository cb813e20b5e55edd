package org.lodge.billing.subscription;

import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.PlanView;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.lodge.provisioning.UnitKind;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves a subscription to another plan of its kind from a day on. The billing run prorates the
 * change (see TenantBilling); a plan whose disk is smaller than the unit's is refused, since a
 * disk never shrinks.
 */
@Component
public class PlanChanges {

    private record Current(UUID id, UUID planId, UnitKind kind, long diskBytes, LocalDate endedOn) {
    }

    private final JdbcClient jdbc;
    private final PlanStore plans;

    public PlanChanges(JdbcClient jdbc, PlanStore plans) {
        this.jdbc = jdbc;
        this.plans = plans;
    }

    @Transactional
    public void change(UUID unitId, String planCode, LocalDate day, String actor) {
        Current current = jdbc.sql("""
                select s.id, s.plan_id, p.kind, s.disk_bytes, s.ended_on
                  from billing_subscription s join billing_plan p on p.id = s.plan_id
                 where s.unit_id = :unit for update of s""")
                .param("unit", unitId)
                .query((rs, n) -> new Current(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        UnitKind.valueOf(rs.getString(3)), rs.getLong(4), rs.getObject(5, LocalDate.class)))
                .optional().orElseThrow(() -> NotFoundException.of("subscription", unitId));
        if (current.endedOn() != null) {
            throw InvalidRequestException.of("plan", "the unit was deleted; its subscription ended on " + current.endedOn(),
                    "plan-change.deleted", String.valueOf(current.endedOn()));
        }
        Optional<PlanView> found = planCode == null ? Optional.empty() : plans.byCode(planCode.strip(), day);
        if (found.isEmpty() || found.get().kind() != current.kind()) {
            String kind = current.kind().name().toLowerCase();
            throw InvalidRequestException.of("plan", "no " + kind + " plan '" + planCode + "'", "plan-change.unknown-" + kind,
                    planCode);
        }
        PlanView plan = found.get();
        if (plan.id().equals(current.planId())) {
            throw InvalidRequestException.of("plan", "the unit is on plan " + plan.code() + " already",
                    "plan-change.same", plan.code());
        }
        if (plan.diskBytes() < current.diskBytes()) {
            throw InvalidRequestException.of("plan", "plan " + plan.code() + " has a disk of " + (plan.diskBytes() >> 20)
                    + " MiB, smaller than the unit's " + (current.diskBytes() >> 20) + " MiB: a disk never shrinks",
                    "plan-change.smaller", plan.code(), String.valueOf(plan.diskBytes() >> 20),
                    String.valueOf(current.diskBytes() >> 20));
        }
        if (jdbc.sql("select count(*) from billing_plan_change where subscription_id = :s and effective_on = :day")
                .param("s", current.id()).param("day", day).query(Integer.class).single() > 0) {
            throw InvalidRequestException.of("plan", "the plan was changed on " + day + " already: one change a day",
                    "plan-change.daily", String.valueOf(day));
        }
        jdbc.sql("""
                insert into billing_plan_change (id, subscription_id, from_plan, to_plan, effective_on, created_by)
                values (:id, :s, :from, :to, :day, :actor)""")
                .param("id", UUID.randomUUID()).param("s", current.id()).param("from", current.planId())
                .param("to", plan.id()).param("day", day).param("actor", actor).update();
        jdbc.sql("update billing_subscription set plan_id = :plan where id = :s").param("plan", plan.id())
                .param("s", current.id()).update();
    }
}
