package org.lodge.provisioning.job;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.JobState;
import org.springframework.data.jpa.repository.JpaRepository;

public interface JobRepository extends JpaRepository<JobEntity, UUID> {

    Optional<JobEntity> findByIdempotencyKey(String key);

    boolean existsByUnitIdAndStateIn(UUID unitId, List<JobState> states);
}
