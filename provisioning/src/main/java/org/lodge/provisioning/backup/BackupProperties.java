package org.lodge.provisioning.backup;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Backups on this node (docs/backups.md). {@code repository} is any restic repository string (a
 * directory, {@code sftp:…}, {@code s3:…}, {@code rest:…}); its password is generated once into
 * {@code passwordFile} (0600, root) and reaches restic only as that file's path. {@code workDir}
 * holds the frozen copies of jail images while they are backed up and the scratch restores of
 * the verification: on a reflink-capable filesystem (XFS, btrfs) beside the jail images, the copy
 * is a clone. {@code checkSubset} is the share of the repository's data a verification reads
 * ({@code restic check --read-data-subset}). Schedules: the dispatcher looks for due units every
 * {@code dispatchInterval} and keeps at most {@code maxPerNode} backups queued or running per node.
 * A customer may ask for an on-demand backup of a unit once per {@code onDemandInterval} (staff any time).
 * {@code reverifyCron} (Quartz) is when every node restores its verified backups again, after it
 * expired the backups of units deleted more than {@code keepAfterDeletion} ago.
 */
@Validated
@ConfigurationProperties("lodge.backup")
public record BackupProperties(@NotBlank String repository, @NotBlank String passwordFile, @NotBlank String cacheDir,
                               @NotBlank String workDir, @NotBlank @Pattern(regexp = "[0-9]{1,3}(\\.[0-9]+)?%|[0-9]+/[0-9]+")
                               String checkSubset, @NotNull Duration timeout, @NotNull Duration dispatchInterval,
                               @jakarta.validation.constraints.Min(1) int maxPerNode,
                               @NotNull Duration onDemandInterval, @NotBlank String reverifyCron,
                               @NotNull Duration keepAfterDeletion) {
}
