package org.lodge.support;

import java.util.ArrayList;
import java.util.List;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobPlan;
import org.lodge.provisioning.job.Step;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Failure injection for the live tests: a creation job whose domain starts with "fail-" fails
 * after every real step ran (image, filesystem, domain, start, HTTP and FTP tests), so the test
 * can prove the compensation leaves nothing behind. A reinstall of a jail or VM whose domain starts
 * with "undo-" fails likewise after its proofs, just before the previous image (a VM: its snapshots,
 * then its previous disk) would be dropped.
 */
@TestConfiguration(proxyBeanMethods = false)
public class FailureInjection {

    public static final String PREFIX = "fail-";
    public static final String REINSTALL_PREFIX = "undo-";

    @Bean
    static BeanPostProcessor injectFailureIntoJailCreation(ObjectProvider<UnitRepository> units) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof JobPlan plan && (plan.kind() == JobKind.CREATE_JAIL
                        || plan.kind() == JobKind.REINSTALL_JAIL || plan.kind() == JobKind.REINSTALL_VM)) {
                    List<Step> steps = new ArrayList<>(plan.steps());
                    boolean reinstall = plan.kind() != JobKind.CREATE_JAIL;
                    String before = plan.kind() == JobKind.REINSTALL_VM ? "forget-snapshots" : "drop-previous-image";
                    int at = reinstall ? steps.indexOf(steps.stream()
                            .filter(s -> s.name().equals(before)).findFirst().orElseThrow())
                            : steps.size() - 1;
                    steps.add(at, new InjectedFailure(units, reinstall ? REINSTALL_PREFIX : PREFIX));
                    JobKind kind = plan.kind();
                    return new JobPlan() {
                        @Override
                        public JobKind kind() {
                            return kind;
                        }

                        @Override
                        public List<Step> steps() {
                            return steps;
                        }
                    };
                }
                return bean;
            }
        };
    }

    /** A restore of single files with a path named {@value #FILES_PATH} fails after its swap and HTTP test. */
    public static final String FILES_PATH = "undo-me";

    @Bean
    static BeanPostProcessor injectFailureIntoFileRestore() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (!(bean instanceof JobPlan plan) || plan.kind() != JobKind.RESTORE_JAIL_FILES) {
                    return bean;
                }
                List<Step> steps = new ArrayList<>(plan.steps());
                steps.add(steps.size() - 1, new Step() {
                    @Override
                    public String name() {
                        return "injected-failure";
                    }

                    @Override
                    public void execute(JobContext ctx) {
                        ctx.params().path("paths").forEach(path -> {
                            if (path.asText().equals(FILES_PATH)) {
                                throw new IllegalStateException("failure injected by the test for " + FILES_PATH);
                            }
                        });
                    }
                });
                return new JobPlan() {
                    @Override
                    public JobKind kind() {
                        return JobKind.RESTORE_JAIL_FILES;
                    }

                    @Override
                    public List<Step> steps() {
                        return steps;
                    }
                };
            }
        };
    }

    /** Reads the unit as the test steps before it did (a shared copy): no query of its own on every creation. */
    record InjectedFailure(ObjectProvider<UnitRepository> units, String prefix) implements Step {
        @Override
        public String name() {
            return "injected-failure";
        }

        @Override
        public boolean onlyReadsUnit() {
            return true;
        }

        @Override
        public void execute(JobContext ctx) {
            String domain = ctx.shared(UnitEntity.class, () -> units.getObject().findById(ctx.unitId()).orElseThrow())
                    .domain();
            if (domain.startsWith(prefix)) {
                throw new IllegalStateException("failure injected by the test for " + domain);
            }
        }
    }
}
