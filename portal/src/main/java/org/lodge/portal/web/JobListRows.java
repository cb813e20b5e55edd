package org.lodge.portal.web;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.lodge.portal.i18n.Times;
import org.lodge.provisioning.JobView;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Job rows (the jobs list, a unit's page) with each cell's text worked out, as {@link UnitListRows}
 * does for units: a kind's and a state's words once per page, not a message look-up, a SpEL
 * concatenation and a state fragment per row.
 */
@Component
public class JobListRows {

    /** One job's row: its link, created time, kind, state badge, unit and tenant in words. */
    public record Row(JobView job, String href, String created, String kind, String stateClass, String stateLabel,
                      String unit, String tenant) {
    }

    private final MessageSource messages;
    private final Times times;

    public JobListRows(MessageSource messages, Times times) {
        this.messages = messages;
        this.times = times;
    }

    /** {@code tenantNames} by tenant id; a node's job (no tenant) says jobs.node-job. */
    public List<Row> of(List<JobView> jobs, Map<UUID, String> tenantNames, String contextPath) {
        PageWords words = new PageWords(messages);
        return jobs.stream().map(job -> new Row(job, contextPath + "/jobs/" + job.id(), times.at(job.createdAt()),
                words.get("jobkind." + job.kind()), PageWords.stateClass(job.state()), words.state(job.state()),
                job.unitLabelUnicode(), job.tenantId() == null ? words.get("jobs.node-job") : tenantNames.get(job.tenantId())))
                .toList();
    }
}
