package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import jakarta.servlet.http.HttpServletRequest;
import org.lodge.portal.security.CredentialsReveal;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.JobFilter;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.LogLine;
import org.lodge.portal.web.JobLogFile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Jobs: state, the timestamped log (followable with ?after=), and the one-time FTP credentials. */
@RestController
@RequestMapping("/api/jobs")
@Tag(name = "jobs")
public class JobApi {

    /** A log line as the API gives it: ISO-8601 timestamp with milliseconds. */
    public record Line(long id, String timestamp, String level, String step, String message) {
        static Line of(LogLine line) {
            return new Line(line.id(), line.timestamp(), line.level(), line.step(), line.message());
        }
    }

    private final JobService jobs;
    private final CredentialsReveal reveal;

    public JobApi(JobService jobs, CredentialsReveal reveal) {
        this.jobs = jobs;
        this.reveal = reveal;
    }

    @GetMapping
    public List<JobView> list(@AuthenticationPrincipal PortalUser user, @RequestParam(required = false) UUID tenant,
                              @RequestParam(required = false) JobState state,
                              @RequestParam(required = false) JobKind kind,
                              @RequestParam(required = false) UUID unit) {
        return jobs.list(new JobFilter(tenant, state, kind, unit), user.scope(), 500);
    }

    @GetMapping("/{id}")
    public JobView get(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return jobs.find(id, user.scope());
    }

    @Operation(summary = "Log lines with an id above 'after', oldest first: poll with the last id seen to follow the job.")
    @GetMapping("/{id}/log")
    public List<Line> log(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                          @RequestParam(defaultValue = "0") long after) {
        return jobs.log(id, after, user.scope()).stream().map(Line::of).toList();
    }

    @GetMapping("/{id}/log.txt")
    public ResponseEntity<String> logFile(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return JobLogFile.of(jobs, user, id);
    }

    @Operation(summary = "The FTP credentials of a successful jail creation, exactly once; 410 afterwards.")
    @PostMapping("/{id}/credentials")
    public ResponseEntity<?> credentials(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                         HttpServletRequest request) {
        return reveal.reveal(user, id, request).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.GONE).body(ProblemDetail.forStatusAndDetail(
                        HttpStatus.GONE, "no credentials to reveal: the job has not ended OK, or they were shown already")));
    }
}
