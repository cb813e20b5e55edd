package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import jakarta.servlet.http.HttpServletRequest;
import org.lodge.portal.i18n.JobLogText;
import org.lodge.portal.security.CredentialsReveal;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.tenant.TenantService;
import org.lodge.provisioning.ResultPage;
import org.lodge.provisioning.JobQuery;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.UnitQuery;
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
    private final TenantService tenants;
    private final JobLogText words;

    public JobApi(JobService jobs, CredentialsReveal reveal, TenantService tenants, JobLogText words) {
        this.tenants = tenants;
        this.words = words;
        this.jobs = jobs;
        this.reveal = reveal;
    }

    @Operation(summary = "List the jobs the caller may see, newest first, a page at a time: page (from 0), size"
            + " (1-200, default 50), sort (-created, created, state, kind, unit), q (the unit's domain or part of it"
            + " in Unicode or ASCII, its IPv4, or for staff a tenant's name), filters tenant, state, kind and unit."
            + " The body is the page's jobs; headers X-Total-Count and Link (rel next/prev) tell the rest.")
    @GetMapping
    public ResponseEntity<List<JobView>> list(@AuthenticationPrincipal PortalUser user,
                                              @RequestParam(required = false) UUID tenant,
                                              @RequestParam(required = false) String state,
                                              @RequestParam(required = false) String kind,
                                              @RequestParam(required = false) UUID unit,
                                              @RequestParam(required = false) String q,
                                              @RequestParam(required = false) Integer page,
                                              @RequestParam(required = false) Integer size,
                                              @RequestParam(required = false) String sort) {
        List<UUID> tenantIds = PageHeaders.searchesTenants(user.isStaff(), q, UnitQuery.MAX_TEXT)
                ? tenants.idsNamed(q.strip()) : List.of();
        ResultPage<JobView> found = jobs.page(user.scope(), JobQuery.of(q, tenantIds, tenant, state, kind, unit, page, size, sort));
        return ResponseEntity.ok().headers(PageHeaders.of(found.total(), found.page(), found.size())).body(found.items());
    }

    @GetMapping("/{id}")
    public JobView get(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return jobs.find(id, user.scope());
    }

    @Operation(summary = "Log lines with an id above 'after', oldest first: poll with the last id seen to follow the job."
            + " Lines are in the language of Accept-Language, else the caller's saved language, else English.")
    @GetMapping("/{id}/log")
    public List<Line> log(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                          @RequestParam(defaultValue = "0") long after, HttpServletRequest request) {
        return JobLogFile.lines(jobs, words, user, id, after, ApiErrors.locale(request)).stream().map(Line::of).toList();
    }

    @GetMapping("/{id}/log.txt")
    public ResponseEntity<String> logFile(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return JobLogFile.of(jobs, words, user, id);
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
