package org.lodge.portal.web;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jakarta.servlet.http.HttpServletRequest;
import org.lodge.portal.security.CredentialsReveal;
import org.lodge.portal.i18n.JobLogText;
import org.lodge.portal.security.PortalUser;
import org.springframework.context.i18n.LocaleContextHolder;
import org.lodge.portal.tenant.TenantService;
import org.lodge.provisioning.FtpCredentials;
import org.lodge.provisioning.ResultPage;
import org.lodge.provisioning.JobQuery;
import org.lodge.provisioning.UnitQuery;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.JobView;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** Job list and job page: the live timestamped log, OK/KO, and the FTP credentials once. */
@Controller
public class JobController {

    /** One poll of the job page: new log lines and where the job stands. */
    public record LogChunk(JobState state, String currentStep, List<Line> lines) {
    }

    public record Line(long id, String timestamp, String level, String step, String message) {
    }

    private final JobService jobs;
    private final JobListRows rows;
    private final TenantService tenants;
    private final CredentialsReveal reveal;
    private final JobLogText words;

    public JobController(JobService jobs, TenantService tenants, CredentialsReveal reveal, JobLogText words,
                         JobListRows rows) {
        this.jobs = jobs;
        this.rows = rows;
        this.words = words;
        this.tenants = tenants;
        this.reveal = reveal;
    }

    /**
     * One page of jobs (50 by default), searched by the unit's domain (Unicode or ASCII), its IPv4
     * or, for staff, a tenant's name, and filtered by state and kind; only that page's tenant names
     * are loaded.
     */
    @GetMapping("/jobs")
    public String list(@AuthenticationPrincipal PortalUser user, @RequestParam(required = false) UUID tenant,
                       @RequestParam(required = false) String state, @RequestParam(required = false) String kind,
                       @RequestParam(required = false) String q, @RequestParam(required = false) Integer page,
                       @RequestParam(required = false) Integer size, @RequestParam(required = false) String sort,
                       HttpServletRequest request, Model model) {
        String text = q == null ? "" : q;
        List<UUID> tenantIds = user.isStaff() && !text.isBlank() && text.strip().length() <= UnitQuery.MAX_TEXT
                ? tenants.idsNamed(text.strip()) : List.of();
        JobQuery query = JobQuery.of(text, tenantIds, tenant, state, kind, null, page, size, sort);
        ResultPage<JobView> found = jobs.page(user.scope(), query);
        model.addAttribute("found", found);
        model.addAttribute("jobs", found.items());
        model.addAttribute("filter", query.filter());
        model.addAttribute("q", query.text());
        model.addAttribute("sort", query.sort());
        model.addAttribute("states", JobState.values());
        model.addAttribute("kinds", JobKind.values());
        model.addAttribute("rows", rows.of(found.items(), tenants.namesOf(found.items().stream().map(JobView::tenantId)
                .filter(java.util.Objects::nonNull).toList()), request.getContextPath()));
        return "jobs/list";
    }

    @GetMapping("/jobs/{id}")
    public String detail(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, Model model) {
        JobView job = jobs.find(id, user.scope());
        model.addAttribute("job", job);
        model.addAttribute("log", JobLogFile.lines(jobs, words, user, id, 0, LocaleContextHolder.getLocale()));
        return "jobs/detail";
    }

    @GetMapping(value = "/jobs/{id}/log", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    public LogChunk follow(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                           @RequestParam(defaultValue = "0") long after) {
        JobView job = jobs.find(id, user.scope());
        List<Line> lines = JobLogFile.lines(jobs, words, user, id, after, LocaleContextHolder.getLocale()).stream()
                .map(l -> new Line(l.id(), l.timestamp(), l.level(), l.step(), l.message())).toList();
        return new LogChunk(job.state(), job.currentStep(), lines);
    }

    @GetMapping(value = "/jobs/{id}/log.txt")
    public ResponseEntity<String> download(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return JobLogFile.of(jobs, words, user, id);
    }

    /** Reveals the FTP password once; a POST, since it consumes the only clear copy. */
    @PostMapping(value = "/jobs/{id}/credentials", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    public ResponseEntity<FtpCredentials> credentials(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                                      HttpServletRequest request) {
        Optional<FtpCredentials> credentials = reveal.reveal(user, id, request);
        return credentials.map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.status(410).build());
    }
}
