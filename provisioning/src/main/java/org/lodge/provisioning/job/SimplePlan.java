package org.lodge.provisioning.job;

import java.util.List;
import org.lodge.provisioning.JobKind;

/** A plan that is just its kind and its steps. */
public record SimplePlan(JobKind kind, List<Step> steps) implements JobPlan {
}
