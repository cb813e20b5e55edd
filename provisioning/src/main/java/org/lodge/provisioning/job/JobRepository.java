package org.lodge.provisioning.job;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.JobState;
import org.springframework.data.jpa.repository.JpaRepository;

public interface JobRepository extends JpaRepository<JobEntity, UUID> {

    /** One page's jobs; one array parameter, so that Hibernate caches its plan (see UnitRepository.findByIds). */
    @org.springframework.data.jpa.repository.Query(value = "select * from provisioning_job where id = any(:ids)",
            nativeQuery = true)
    List<JobEntity> findByIds(UUID[] ids);

    Optional<JobEntity> findByIdempotencyKey(String key);

    boolean existsByUnitIdAndStateIn(UUID unitId, List<JobState> states);
}
