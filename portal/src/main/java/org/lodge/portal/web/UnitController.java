package org.lodge.portal.web;

import org.lodge.portal.i18n.Texts;
import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.tenant.TenantService;
import org.lodge.provisioning.BackupPolicyService;
import org.lodge.provisioning.BackupService;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitRequest;
import org.lodge.billing.Catalog;
import org.lodge.billing.UnitShape;
import org.lodge.provisioning.UnitActionService;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.CustomerSnapshotService;
import org.lodge.provisioning.UnitDirectory;
import org.lodge.provisioning.ResultPage;
import org.lodge.provisioning.UnitQuery;
import org.lodge.provisioning.UnitView;
import java.util.List;
import java.util.Map;
import org.lodge.provisioning.UsageService;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobFilter;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.NodeService;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The unit list (the modern {@code jailctl status}, jails and VMs), the operator form and per-unit actions. */
@Controller
public class UnitController {

    /** What the operator typed, kept as typed so a refused form comes back filled in. */
    public record UnitForm(String tenantId, String node, UnitKind kind, String diskSize, String domain, String ipv4,
                           String vcpus, String memory, String template, String plan, String sshKey) {
    }

    private final UnitService units;
    private final UnitActionService actions;
    private final JobService jobs;
    private final NodeService nodes;
    private final TenantService tenants;
    private final BackupService backups;
    private final BackupPolicyService backupPolicies;
    private final UsageService usage;
    private final Catalog catalog;
    private final UnitDirectory directory;
    private final Texts texts;
    private final CustomerSnapshotService customerSnapshots;
    private final UnitListRows rows;
    private final JobListRows jobRows;

    public UnitController(UnitService units, UnitActionService actions, JobService jobs, NodeService nodes, TenantService tenants,
                          BackupService backups, UsageService usage, Catalog catalog, UnitDirectory directory,
                          Texts texts, CustomerSnapshotService customerSnapshots,
                          BackupPolicyService backupPolicies, UnitListRows rows, JobListRows jobRows) {
        this.rows = rows;
        this.jobRows = jobRows;
        this.texts = texts;
        this.customerSnapshots = customerSnapshots;
        this.backupPolicies = backupPolicies;
        this.catalog = catalog;
        this.directory = directory;
        this.backups = backups;
        this.usage = usage;
        this.units = units;
        this.actions = actions;
        this.jobs = jobs;
        this.nodes = nodes;
        this.tenants = tenants;
    }

    @GetMapping("/")
    public String home() {
        return "redirect:/units";
    }

    /**
     * One page of units (50 by default), searched by domain (Unicode or ASCII), IPv4 or, for staff,
     * tenant name; only that page's alerts and tenant names are loaded.
     */
    @GetMapping("/units")
    public String list(@AuthenticationPrincipal PortalUser user, @RequestParam(required = false) String q,
                       @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size,
                       @RequestParam(required = false) String sort, @RequestParam(required = false) String state,
                       @RequestParam(required = false) String kind, HttpServletRequest request, Model model) {
        String text = q == null ? "" : q;
        List<UUID> tenantIds = user.isStaff() && !text.isBlank() && text.length() <= UnitQuery.MAX_TEXT
                ? tenants.idsNamed(text.strip()) : List.of();
        UnitQuery query = UnitQuery.of(text, tenantIds, page, size, sort, state, kind);
        ResultPage<UnitView> found = directory.page(user.scope(), query);
        model.addAttribute("state", query.state());
        model.addAttribute("kind", query.kind());
        model.addAttribute("unitStates", org.lodge.provisioning.UnitState.values());
        model.addAttribute("found", found);
        model.addAttribute("q", text.strip());
        model.addAttribute("sort", sort == null ? "domain" : sort);
        model.addAttribute("units", found.items());
        // Once per page: sec:authorize on each row asked Spring Security 50 times.
        model.addAttribute("staff", user.isStaff());
        model.addAttribute("rows", rows.of(found.items(),
                tenants.namesOf(found.items().stream().map(UnitView::tenantId).toList()),
                usage.alerts(user.scope(), found.items()), request.getContextPath()));
        return "units/list";
    }

    @GetMapping("/units/new")
    public String form(Model model) {
        model.addAttribute("form", new UnitForm(null, null, UnitKind.JAIL, "", "", "", "", "", "", "", ""));
        return prepareForm(model);
    }

    @PostMapping("/units")
    public String create(@AuthenticationPrincipal PortalUser user, @ModelAttribute("form") UnitForm form, Model model) {
        try {
            UUID tenant = parseTenant(form.tenantId());
            String plan = form.plan() == null || form.plan().isBlank() ? null : form.plan();
            UnitKind kind = form.kind() == null ? UnitKind.JAIL : form.kind();
            // The plan gives the shape; the fields staff filled in override it.
            UnitShape shape = catalog.shapeFor(plan, kind, new UnitShape(form.diskSize(), form.vcpus(), form.memory()));
            JobView job = units.requestUnit(new UnitRequest(tenant, form.node(), form.kind(), shape.diskSize(),
                    form.domain(), form.ipv4(), shape.vcpus(), shape.memory(), form.template(), null, plan,
                    form.sshKey()),
                    user.getUsername());
            return "redirect:/jobs/" + job.id();
        } catch (InvalidRequestException e) {
            model.addAttribute("errors", texts.errors(e));
            return prepareForm(model);
        }
    }

    @GetMapping("/units/{id}")
    public String detail(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, HttpServletRequest request,
                         Model model) {
        UnitView unit = units.find(id, user.scope());
        model.addAttribute("unit", unit);
        // Once per page: hasRole('STAFF') in the template cost a bean look-up and a SpEL parse each time.
        model.addAttribute("staff", user.isStaff());
        model.addAttribute("actions", UnitAction.values());
        model.addAttribute("alerts", usage.alerts(id, user.scope()));
        model.addAttribute("backups", backups.list(id, user.scope()));
        model.addAttribute("nextBackup", backups.nextRun(id, user.scope()).orElse(null));
        if (user.scope().isStaff()) {
            model.addAttribute("backupPolicy", backupPolicies.ofUnit(id).orElse(null));
        }
        if (unit.kind() == UnitKind.VM) {
            model.addAttribute("snapshots", units.snapshots(id, user.scope()));
            model.addAttribute("snapshotAllowance", customerSnapshots.allowance(id, user.scope()));
            model.addAttribute("exports", units.exports(id, user.scope()));
        }
        model.addAttribute("jobRows", jobRows.of(jobs.list(new JobFilter(null, null, null, id), user.scope(), 50), Map.of(),
                request.getContextPath()));
        // The unit's own tenant only: every tenant's name per page view was the page's largest cost.
        model.addAttribute("tenantNames", tenants.namesOf(List.of(unit.tenantId())));
        return "units/detail";
    }

    @PostMapping("/units/{id}/actions/{action}")
    public String act(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable String action,
                      RedirectAttributes redirect) {
        return submit(id, redirect, () -> actions.requestAction(id, UnitAction.parse(action), user.scope(),
                user.getUsername()));
    }

    @PostMapping("/units/{id}/grow")
    public String grow(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @RequestParam String diskSize,
                       RedirectAttributes redirect) {
        return submit(id, redirect, () -> actions.requestGrow(id, diskSize, user.scope(), user.getUsername()));
    }

    @PostMapping("/units/{id}/resize")
    public String resize(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @RequestParam String vcpus,
                         @RequestParam String memory, RedirectAttributes redirect) {
        return submit(id, redirect, () -> actions.requestResize(id, vcpus, memory, user.scope(), user.getUsername()));
    }

    @PostMapping("/units/{id}/clone")
    public String cloneVm(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @RequestParam String domain,
                          @RequestParam String ipv4, RedirectAttributes redirect) {
        return submit(id, redirect, () -> units.requestClone(id, domain, ipv4, user.scope(), user.getUsername()));
    }

    @PostMapping("/units/{id}/exports")
    public String export(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @RequestParam String format,
                         RedirectAttributes redirect) {
        return submit(id, redirect, () -> actions.requestExport(id, format, user.scope(), user.getUsername()));
    }

    @GetMapping("/units/{id}/exports/{jobId}/download")
    public ResponseEntity<Resource> download(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                             @PathVariable UUID jobId) {
        return ExportDownload.of(units.export(id, jobId, user.scope()));
    }

    @PostMapping("/units/{id}/snapshots")
    public String snapshot(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @RequestParam String name,
                           RedirectAttributes redirect) {
        return submit(id, redirect, () -> actions.requestSnapshot(id, JobKind.CREATE_VM_SNAPSHOT, name, user.scope(),
                user.getUsername()));
    }

    @PostMapping("/units/{id}/snapshots/{name}/{verb:revert|delete}")
    public String snapshotAction(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                 @PathVariable String name, @PathVariable String verb, RedirectAttributes redirect) {
        JobKind kind = verb.equals("revert") ? JobKind.REVERT_VM_SNAPSHOT : JobKind.DELETE_VM_SNAPSHOT;
        return submit(id, redirect, () -> actions.requestSnapshot(id, kind, name, user.scope(), user.getUsername()));
    }

    @PostMapping("/units/{id}/backups")
    public String backup(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        return submit(id, redirect, () -> backups.requestBackup(id, user.scope(), user.getUsername()));
    }

    /** A restore replaces the jail's files: the user types its domain to confirm. */
    @PostMapping("/units/{id}/backups/{backupId}/restore")
    public String restore(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable UUID backupId,
                          @RequestParam(defaultValue = "") String confirm, RedirectAttributes redirect) {
        return submit(id, redirect, () -> {
            if (!confirm.strip().equals(units.find(id, user.scope()).domain())) {
                throw InvalidRequestException.of("confirm", "type the domain of the jail to confirm the restore",
                        "restore.confirm");
            }
            return backups.requestRestore(id, backupId, user.scope(), user.getUsername());
        });
    }

    @PostMapping("/units/{id}/backups/{backupId}/protection")
    public String protect(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable UUID backupId,
                          @RequestParam boolean protect) {
        backups.protect(id, backupId, protect, user.scope());
        return "redirect:/units/" + id;
    }

    private String submit(UUID id, RedirectAttributes redirect, java.util.function.Supplier<JobView> request) {
        try {
            return "redirect:/jobs/" + request.get().id();
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
            return "redirect:/units/" + id;
        }
    }

    private UUID parseTenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw InvalidRequestException.of("tenantId", "choose the tenant the unit belongs to", "unit.tenant.choose");
        }
        try {
            return tenants.tenant(UUID.fromString(tenantId)).getId();
        } catch (RuntimeException e) {
            throw InvalidRequestException.of("tenantId", "unknown tenant", "unit.tenant.unknown");
        }
    }

    private String prepareForm(Model model) {
        model.addAttribute("tenants", tenants.tenants());
        model.addAttribute("nodes", nodes.nodes());
        model.addAttribute("plans", catalog.plans());
        return "units/form";
    }
}
