package org.lodge.portal.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.lodge.portal.i18n.AlertText;
import org.lodge.provisioning.UnitAlert;
import org.lodge.provisioning.UnitView;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The units list's rows with what each cell shows already worked out: the labels are looked up once
 * per page and word (not once per row and cell), so the template only prints strings. JFR put ~5 %
 * of the page's CPU in the per-row badge fragment, message look-ups and SpEL calls this replaces.
 */
@Component
public class UnitListRows {

    /** One row of {@code units/list}: the unit and its cells' text. */
    public record Row(UnitView unit, String stateClass, String stateLabel, String suspended, String kind,
                      String href, String memory, String disk, String used, String tenant, List<Alert> alerts) {
    }

    /** An alert's badge: its kind (data-kind), its sentence (title) and its words. */
    public record Alert(String kind, String title, String text) {
    }

    private final MessageSource messages;
    private final AlertText alertText;

    public UnitListRows(MessageSource messages, AlertText alertText) {
        this.messages = messages;
        this.alertText = alertText;
    }

    public List<Row> of(List<UnitView> units, Map<UUID, String> tenantNames, Map<UUID, List<UnitAlert>> alerts,
                        String contextPath) {
        PageWords words = new PageWords(messages);
        return units.stream().map(unit -> {
            String suspended = unit.suspendedFor() == null ? null : words.get("NON_PAYMENT".equals(unit.suspendedFor())
                    ? "units.suspended.payment" : "units.suspended.staff");
            return new Row(unit, PageWords.stateClass(unit.state()), words.state(unit.state()), suspended,
                    words.get("kind." + unit.kind().name().toLowerCase(Locale.ROOT)),
                    contextPath + "/units/" + unit.id(), unit.memoryMib() + " MiB", unit.diskHuman(),
                    unit.diskUsedHuman(), tenantNames.get(unit.tenantId()),
                    alerts.getOrDefault(unit.id(), List.of()).stream()
                            .map(a -> new Alert(a.kind(), alertText.line(a), alertText.kind(a))).toList());
        }).toList();
    }
}
