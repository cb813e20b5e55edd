package org.lodge.provisioning.network;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface IpPoolRepository extends JpaRepository<IpPoolEntity, UUID> {

    List<IpPoolEntity> findByNodeNameOrderByNetworkName(String nodeName);

    Optional<IpPoolEntity> findByNodeNameAndNetworkName(String nodeName, String networkName);
}
