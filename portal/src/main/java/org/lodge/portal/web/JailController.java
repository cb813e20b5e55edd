package org.lodge.portal.web;

import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.tenant.TenantService;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.JailAction;
import org.lodge.provisioning.JailRequest;
import org.lodge.provisioning.JailService;
import org.lodge.provisioning.JobFilter;
import org.lodge.provisioning.JobService;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.NodeService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The jail list (the modern {@code jailctl status}), the operator form and per-jail actions. */
@Controller
public class JailController {

    /** What the operator typed, kept as typed so a refused form comes back filled in. */
    public record JailForm(String tenantId, String node, String diskSize, String domain, String ipv4) {
    }

    private final JailService jails;
    private final JobService jobs;
    private final NodeService nodes;
    private final TenantService tenants;

    public JailController(JailService jails, JobService jobs, NodeService nodes, TenantService tenants) {
        this.jails = jails;
        this.jobs = jobs;
        this.nodes = nodes;
        this.tenants = tenants;
    }

    @GetMapping("/")
    public String home() {
        return "redirect:/jails";
    }

    @GetMapping("/jails")
    public String list(@AuthenticationPrincipal PortalUser user, Model model) {
        model.addAttribute("jails", jails.list(user.scope()));
        model.addAttribute("tenantNames", tenants.tenantNames());
        return "jails/list";
    }

    @GetMapping("/jails/new")
    public String form(Model model) {
        model.addAttribute("form", new JailForm(null, null, "256M", "", ""));
        return prepareForm(model);
    }

    @PostMapping("/jails")
    public String create(@AuthenticationPrincipal PortalUser user, @ModelAttribute("form") JailForm form, Model model) {
        try {
            UUID tenant = parseTenant(form.tenantId());
            JobView job = jails.requestJail(new JailRequest(tenant, form.node(), form.diskSize(), form.domain(),
                    form.ipv4(), null), user.getUsername());
            return "redirect:/jobs/" + job.id();
        } catch (InvalidRequestException e) {
            model.addAttribute("errors", e.errors());
            return prepareForm(model);
        }
    }

    @GetMapping("/jails/{id}")
    public String detail(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, Model model) {
        model.addAttribute("jail", jails.find(id, user.scope()));
        model.addAttribute("jobs", jobs.list(new JobFilter(null, null, null, id), user.scope(), 50));
        model.addAttribute("tenantNames", tenants.tenantNames());
        return "jails/detail";
    }

    @PostMapping("/jails/{id}/actions/{action}")
    public String act(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable String action,
                      RedirectAttributes redirect) {
        try {
            JobView job = jails.requestAction(id, JailAction.parse(action), user.scope(), user.getUsername());
            return "redirect:/jobs/" + job.id();
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", e.getMessage());
            return "redirect:/jails/" + id;
        }
    }

    @PostMapping("/jails/{id}/grow")
    public String grow(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @RequestParam String diskSize,
                       RedirectAttributes redirect) {
        try {
            return "redirect:/jobs/" + jails.requestGrow(id, diskSize, user.scope(), user.getUsername()).id();
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", e.getMessage());
            return "redirect:/jails/" + id;
        }
    }

    private UUID parseTenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw InvalidRequestException.of("tenantId", "choose the tenant the jail belongs to");
        }
        try {
            return tenants.tenant(UUID.fromString(tenantId)).getId();
        } catch (RuntimeException e) {
            throw InvalidRequestException.of("tenantId", "unknown tenant");
        }
    }

    private String prepareForm(Model model) {
        model.addAttribute("tenants", tenants.tenants());
        model.addAttribute("nodes", nodes.nodes());
        return "jails/form";
    }
}
