package org.lodge.provisioning.doctor;

import org.lodge.provisioning.job.JobContext;

/**
 * One difference between the node and the database, in words. A true orphan carries its repair
 * (which checks again before it removes anything); other differences are only reported.
 */
record Finding(String text, Repair repair) {

    @FunctionalInterface
    interface Repair {
        void run(JobContext ctx) throws Exception;
    }

    static Finding report(String text) {
        return new Finding(text, null);
    }

    boolean orphan() {
        return repair != null;
    }
}
