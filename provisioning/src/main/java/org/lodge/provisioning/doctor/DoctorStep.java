package org.lodge.provisioning.doctor;

import java.time.Duration;
import java.util.List;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.Step;

/**
 * The doctor as a job step: every difference into the job log, then (with repair) each orphan
 * removed, and a summary line the Nodes page shows. Checks on one node run one at a time.
 */
class DoctorStep implements Step {

    /** The job log's last line of a doctor job starts with this (read back by the Nodes page). */
    static final String SUMMARY = "summary: ";

    private final Doctor doctor;
    private final boolean repair;

    DoctorStep(Doctor doctor, boolean repair) {
        this.doctor = doctor;
        this.repair = repair;
    }

    @Override
    public String name() {
        return "doctor";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(10);
    }

    @Override
    public void execute(JobContext ctx) {
        synchronized (doctor) {
            List<Finding> findings = doctor.examine();
            long orphans = findings.stream().filter(Finding::orphan).count();
            findings.forEach(f -> ctx.warn((f.orphan() ? "orphan: " : "difference: ") + f.text()));
            if (findings.isEmpty()) {
                ctx.log("libvirt domains, volumes, mounts, IP assignments and FTP passwords agree with the database");
            }
            int repaired = 0;
            if (repair) {
                for (Finding finding : findings) {
                    if (finding.orphan()) {
                        try {
                            finding.repair().run(ctx);
                            repaired++;
                        } catch (Exception e) {
                            ctx.warn("could not repair (" + finding.text() + "): " + e.getMessage());
                        }
                    }
                }
            }
            ctx.log(SUMMARY + findings.size() + " differences, " + orphans + " orphans"
                    + (repair ? ", " + repaired + " repaired" : ""));
        }
    }
}
