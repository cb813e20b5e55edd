package org.lodge.provisioning.job;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.JobState;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface JobRepository extends JpaRepository<JobEntity, UUID> {

    @Query("select j from JobEntity j where j.idempotencyKey = :key")
    Optional<JobEntity> findByIdempotencyKey(String key);

    @Query("select count(j) > 0 from JobEntity j where j.unitId = :unitId and j.state in :states")
    boolean existsByUnitIdAndStateIn(UUID unitId, List<JobState> states);
}
