package org.lodge.billing;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.provisioning.DiskSize;
import org.lodge.provisioning.InvalidInputException;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.lodge.provisioning.UnitKind;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Plans and their effective-dated prices. Anyone logged in may read the catalog; only staff
 * change it (checked here too, not only by the portal's URL rules). A price change applies from
 * its date on: lines already billed keep the amount they were billed at.
 */
@Service
public class Catalog {

    private final PlanStore plans;
    private final BillingProperties props;
    private final Clock clock;

    public Catalog(PlanStore plans, BillingProperties props, Clock billingClock) {
        this.plans = plans;
        this.props = props;
        this.clock = billingClock;
    }

    public List<PlanView> plans() {
        return plans.all(today());
    }

    public PlanView plan(String code) {
        return plans.byCode(code, today()).orElseThrow(() -> NotFoundException.of("plan", code));
    }

    public List<PriceView> prices(String code) {
        return plans.prices(plan(code).id());
    }

    /** The plan a new unit of {@code kind} gets: the named one if it exists for that kind, else the kind's default. */
    public Optional<PlanView> planFor(String code, UnitKind kind) {
        Optional<PlanView> named = code == null ? Optional.empty()
                : plans.byCode(code, today()).filter(p -> p.kind() == kind);
        return named.isPresent() ? named : plans.defaultFor(kind, today());
    }

    /**
     * A new unit's shape: the fields staff typed, the rest from the named plan (checked as by
     * {@link #checkPlanFor}). A request that names no plan keeps the node's defaults for memory
     * and vCPUs, as before plans existed; only a missing disk size comes from the kind's default plan.
     */
    public UnitShape shapeFor(String code, UnitKind kind, UnitShape typed) {
        checkPlanFor(code, kind);
        if (code == null) {
            return plans.defaultFor(kind, today())
                    .map(plan -> new UnitShape(UnitShape.of(plan, typed).diskSize(), typed.vcpus(), typed.memory()))
                    .orElse(typed);
        }
        return planFor(code, kind).map(plan -> UnitShape.of(plan, typed)).orElse(typed);
    }

    /** Checks a plan code named in a unit request: it must exist and be a plan of that kind. */
    public void checkPlanFor(String code, UnitKind kind) {
        if (code == null) {
            return;
        }
        Optional<PlanView> plan = plans.byCode(code, today());
        if (plan.isEmpty() || plan.get().kind() != kind) {
            String known = String.valueOf(plans().stream().filter(p -> p.kind() == kind).map(PlanView::code).toList());
            throw InvalidRequestException.of("plan", "no " + kind.name().toLowerCase() + " plan '" + code
                    + "'; plans: " + known, "plan.unknown-" + kind.name().toLowerCase(), code, known);
        }
    }

    @PreAuthorize("hasRole('STAFF')")
    @Transactional
    public PlanView create(NewPlan input) {
        List<InvalidInputException> problems = new ArrayList<>();
        String code = input.code() == null ? "" : input.code().strip();
        if (!code.matches("[a-z0-9][a-z0-9-]{0,39}")) {
            problems.add(new InvalidInputException("code", "1 to 40 characters: a-z, 0-9 and '-'", "plan.code"));
        } else if (plans.byCode(code, today()).isPresent()) {
            problems.add(new InvalidInputException("code", "a plan '" + code + "' exists already", "plan.exists",
                    code));
        }
        String name = input.name() == null ? "" : input.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            problems.add(new InvalidInputException("name", "1 to 100 characters", "plan.name"));
        }
        if (input.kind() == null) {
            problems.add(new InvalidInputException("kind", "JAIL or VM", "plan.kind"));
        }
        DiskSize disk = attempt(problems, "disk", () -> DiskSize.parse(input.disk()));
        Integer memory = count(problems, "memoryMib", input.memoryMib(), 1 << 20);
        Integer vcpus = count(problems, "vcpus", input.vcpus(), 64);
        Long backup = attempt(problems, "backupQuota", () -> "0".equals(strip(input.backupQuota())) ? 0L
                : DiskSize.parse(input.backupQuota()).bytes());
        Money price = price(problems, input.monthlyPrice());
        LocalDate from = effectiveFrom(problems, input.effectiveFrom());
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        UUID id = UUID.randomUUID();
        plans.insert(id, code, name, input.kind(), disk.bytes(), memory, vcpus, backup, input.kindDefault());
        plans.price(id, from, price);
        return plans.byId(id, today()).orElseThrow();
    }

    /** A new monthly price for a plan from a day on (today or later: billed periods keep theirs). */
    @PreAuthorize("hasRole('STAFF')")
    @Transactional
    public PriceView changePrice(String code, String monthlyPrice, String effectiveFrom) {
        PlanView plan = plan(code);
        List<InvalidInputException> problems = new ArrayList<>();
        Money price = price(problems, monthlyPrice);
        LocalDate from = effectiveFrom(problems, effectiveFrom);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        plans.price(plan.id(), from, price);
        return new PriceView(from, price);
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(props.zone()));
    }

    private static Money price(List<InvalidInputException> problems, String text) {
        Money price = attempt(problems, "monthlyPrice", () -> Money.parse(text));
        if (price != null && price.isNegative()) {
            problems.add(new InvalidInputException("monthlyPrice", "a price cannot be negative", "plan.price-negative"));
            return null;
        }
        return price;
    }

    private LocalDate effectiveFrom(List<InvalidInputException> problems, String text) {
        if (text == null || text.isBlank()) {
            return today();
        }
        try {
            LocalDate from = LocalDate.parse(text.strip());
            if (from.isBefore(today())) {
                problems.add(new InvalidInputException("effectiveFrom", "a price applies from today or later",
                        "plan.price-past"));
            }
            return from;
        } catch (DateTimeParseException e) {
            problems.add(new InvalidInputException("effectiveFrom", "a date like 2026-01-31", "date.malformed"));
            return null;
        }
    }

    private static Integer count(List<InvalidInputException> problems, String field, String text, int max) {
        try {
            int value = Integer.parseInt(strip(text));
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new InvalidInputException(field, "a whole number from 1 to " + max, "plan.count",
                String.valueOf(max)));
        return null;
    }

    private static <T> T attempt(List<InvalidInputException> problems, String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidInputException e) {
            problems.add(new InvalidInputException(field, e.getMessage(), e.code(), e.args()));
        } catch (RuntimeException e) {
            // Money.parse is the only other parser here
            problems.add(new InvalidInputException(field, e.getMessage() == null ? "invalid" : e.getMessage(),
                    "plan.price-malformed"));
        }
        return null;
    }

    private static String strip(String text) {
        return text == null ? "" : text.strip();
    }
}
