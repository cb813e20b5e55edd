package org.lodge.provisioning.network;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface IpPoolRepository extends JpaRepository<IpPoolEntity, UUID> {

    @Query("select p from IpPoolEntity p where p.nodeName = :nodeName order by p.networkName")
    List<IpPoolEntity> findByNodeNameOrderByNetworkName(String nodeName);

    @Query("select p from IpPoolEntity p where p.nodeName = :nodeName and p.networkName = :networkName")
    Optional<IpPoolEntity> findByNodeNameAndNetworkName(String nodeName, String networkName);
}
