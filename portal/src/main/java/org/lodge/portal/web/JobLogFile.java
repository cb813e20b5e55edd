package org.lodge.portal.web;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.lodge.portal.i18n.JobLogText;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.LogLine;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A job's log as a downloadable text file, one timestamped line per event, exit status last. */
public final class JobLogFile {

    private JobLogFile() {
    }

    public static ResponseEntity<String> of(JobService jobs, JobLogText words, PortalUser user, UUID id) {
        JobView job = jobs.find(id, user.scope());
        String text = lines(jobs, words, user, id, 0, LocaleContextHolder.getLocale()).stream().map(LogLine::text)
                .collect(Collectors.joining("\n", "", "\n"))
                + "exit status: " + (job.state().isFinal() ? job.state() : "still " + job.state()) + "\n";
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"job-" + id + ".log\"")
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(text);
    }

    /**
     * The job's log lines after {@code after} in the reader's language; a customer's without host
     * paths, process ids or uid ranges.
     */
    public static java.util.List<LogLine> lines(JobService jobs, JobLogText words, PortalUser user, UUID id, long after,
                                                Locale locale) {
        return jobs.log(id, after, user.scope()).stream().map(l -> words.shown(l, !user.isStaff(), locale)).toList();
    }
}
