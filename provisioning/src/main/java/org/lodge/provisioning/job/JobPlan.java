package org.lodge.provisioning.job;

import java.util.List;
import org.lodge.provisioning.JobKind;

/** The ordered steps of one kind of job. */
public interface JobPlan {

    JobKind kind();

    List<Step> steps();
}
