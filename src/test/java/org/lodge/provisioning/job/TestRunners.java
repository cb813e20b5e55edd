package org.lodge.provisioning.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.WorkerProperties;

/** A job runner for engine tests: one worker of {@code node}, fast timings, one plan of the given steps. */
final class TestRunners {

    private TestRunners() {
    }

    static JobRunner runner(JobStore store, JobLogWriter lines, ObjectMapper json, NodeProperties nodeProps,
                            String node, JobKind kind, Step... steps) {
        JobPlan plan = new JobPlan() {
            @Override
            public JobKind kind() {
                return kind;
            }

            @Override
            public List<Step> steps() {
                return List.of(steps);
            }
        };
        WorkerProperties props = new WorkerProperties(1, Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(30),
                Duration.ofHours(24), 3, Duration.ofMillis(10));
        NodeProperties nodeOfTest = new NodeProperties(node, nodeProps.lxcUri(), nodeProps.storageDir(),
                nodeProps.mountDir(), nodeProps.storagePool(), nodeProps.templateDir(), 64, nodeProps.jailLimits(),
                nodeProps.network(), nodeProps.vm());
        return new JobRunner(store, lines, List.of(plan), json, props, nodeOfTest,
                new JobMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }
}
