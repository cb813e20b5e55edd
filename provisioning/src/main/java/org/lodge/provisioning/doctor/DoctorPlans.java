package org.lodge.provisioning.doctor;

import java.util.List;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.job.JobPlan;
import org.lodge.provisioning.job.SimplePlan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The doctor's two jobs: check the node, or check it and remove the true orphans. */
@Configuration(proxyBeanMethods = false)
@WorkerRole
public class DoctorPlans {

    @Bean
    JobPlan doctorPlan(Doctor doctor) {
        return new SimplePlan(JobKind.DOCTOR, List.of(new DoctorStep(doctor, false)));
    }

    @Bean
    JobPlan doctorRepairPlan(Doctor doctor) {
        return new SimplePlan(JobKind.DOCTOR_REPAIR, List.of(new DoctorStep(doctor, true)));
    }
}
