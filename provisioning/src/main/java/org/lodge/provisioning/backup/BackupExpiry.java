package org.lodge.provisioning.backup;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.UnitDeleted;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Backups outlive their unit (so a deleted unit can still be restored) for
 * {@code lodge.backup.keep-after-deletion}; the deletion is learnt from the {@link UnitDeleted}
 * event (the publication registry redelivers it after a crash). The node's weekly backup job then
 * removes the expired ones from restic and from the list; protected backups stay.
 */
@Component
public class BackupExpiry {

    private final Backups backups;
    private final BackupRemoval removal;
    private final BackupProperties props;

    public BackupExpiry(Backups backups, BackupRemoval removal, BackupProperties props) {
        this.backups = backups;
        this.removal = removal;
        this.props = props;
    }

    @ApplicationModuleListener
    void on(UnitDeleted deleted) {
        backups.unitDeleted(deleted.unitId(), deleted.at());
    }

    /** Removes the node's expired backups; how many. */
    public int expire(String node, Instant now, Consumer<String> log) throws IOException {
        List<BackupView> expired = backups.expired(node, now.minus(props.keepAfterDeletion()));
        Map<UUID, List<BackupView>> byUnit = expired.stream().collect(Collectors.groupingBy(BackupView::unitId));
        for (Map.Entry<UUID, List<BackupView>> unit : byUnit.entrySet()) {
            List<BackupView> gone = unit.getValue();
            removal.remove(unit.getKey(), gone);
            log.accept("removed " + gone.size() + " backup(s) of " + gone.get(0).unitDomain() + ", deleted more than "
                    + props.keepAfterDeletion().toDays() + " days ago");
        }
        return expired.size();
    }
}
