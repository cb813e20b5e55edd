package org.lodge.portal.web;

import org.lodge.portal.i18n.Texts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.tenant.Role;
import org.lodge.portal.tenant.TenantService;
import org.lodge.provisioning.BackupPolicyService;
import org.lodge.provisioning.BackupQuotaService;
import org.lodge.provisioning.DoctorView;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NodeDoctor;
import org.lodge.provisioning.NodeView;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.NodeService;
import org.lodge.provisioning.NodeUsageView;
import org.lodge.provisioning.UsageService;
import org.lodge.provisioning.TenantScope;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Staff pages: tenants with their customer users, and the nodes with their networks and pools. */
@Controller
public class AdminController {

    private final TenantService tenants;
    private final NodeService nodes;
    private final UnitService units;
    private final NodeDoctor doctor;

    private final UsageService usage;
    private final BackupQuotaService backupQuotas;
    private final BackupPolicyService backupPolicies;

    private final Texts texts;

    public AdminController(TenantService tenants, NodeService nodes, UnitService units, NodeDoctor doctor,
                           UsageService usage, Texts texts, BackupQuotaService backupQuotas,
                           BackupPolicyService backupPolicies) {
        this.texts = texts;
        this.backupQuotas = backupQuotas;
        this.backupPolicies = backupPolicies;
        this.usage = usage;
        this.tenants = tenants;
        this.nodes = nodes;
        this.units = units;
        this.doctor = doctor;
    }

    @GetMapping("/tenants")
    public String tenants(Model model) {
        model.addAttribute("tenants", tenants.tenants());
        return "tenants/list";
    }

    @PostMapping("/tenants")
    public String createTenant(@RequestParam String name, RedirectAttributes redirect) {
        try {
            return "redirect:/tenants/" + tenants.createTenant(name).getId();
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
            return "redirect:/tenants";
        }
    }

    @GetMapping("/tenants/{id}")
    public String tenant(@PathVariable UUID id, Model model) {
        model.addAttribute("tenant", tenants.tenant(id));
        model.addAttribute("users", tenants.usersOf(id));
        model.addAttribute("units", units.list(TenantScope.of(id)));
        model.addAttribute("backupQuota", backupQuotas.usage(id, TenantScope.all()));
        model.addAttribute("backupPolicy", backupPolicies.ofTenant(id).orElse(null));
        return "tenants/detail";
    }

    @PostMapping("/tenants/{id}/contact")
    public String contact(@PathVariable UUID id, @RequestParam String contactEmail, RedirectAttributes redirect) {
        try {
            tenants.setContactEmail(id, contactEmail);
            redirect.addFlashAttribute("message", contactEmail.isBlank() ? texts.get("flash.alerts-not-mailed")
                    : texts.get("flash.alerts-mailed", contactEmail.strip()));
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
        }
        return "redirect:/tenants/" + id;
    }

    @PostMapping("/tenants/{id}/users")
    public String createUser(@PathVariable UUID id, @RequestParam String username, @RequestParam String password,
                             @RequestParam(defaultValue = "false") boolean tenantAdmin, RedirectAttributes redirect) {
        try {
            // A tenant administrator also manages the tenant's users (/team).
            tenants.createUser(username, password, tenantAdmin ? Role.TENANT_ADMIN : Role.CUSTOMER, tenants.tenant(id).getId());
            redirect.addFlashAttribute("message", texts.get(tenantAdmin ? "flash.tenant-admin-created"
                    : "flash.customer-created", username));
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
        }
        return "redirect:/tenants/" + id;
    }

    @GetMapping("/nodes")
    public String nodes(@AuthenticationPrincipal PortalUser user, Model model) {
        List<NodeView> all = nodes.nodes();
        Map<String, DoctorView> checks = new HashMap<>();
        all.forEach(n -> doctor.latest(n.name(), user.scope()).ifPresent(d -> checks.put(n.name(), d)));
        model.addAttribute("nodes", all);
        model.addAttribute("checks", checks);
        Map<String, NodeUsageView> usages = new HashMap<>();
        all.forEach(n -> usages.put(n.name(), usage.nodeUsage(n.name())));
        model.addAttribute("usages", usages);
        model.addAttribute("nodeAlerts", nodes.alerts());
        return "nodes/list";
    }

    @PostMapping("/nodes/{name}/vm-tcg")
    public String allowTcg(@PathVariable String name, @RequestParam boolean allowed) {
        nodes.allowTcg(name, allowed);
        return "redirect:/nodes";
    }

    @PostMapping("/nodes/{name}/templates/{template}/enabled")
    public String enableTemplate(@PathVariable String name, @PathVariable String template,
                                 @RequestParam boolean enabled, RedirectAttributes redirect) {
        try {
            nodes.enableTemplate(name, template, enabled);
            redirect.addFlashAttribute("message", texts.get(enabled ? "flash.template-enabled" : "flash.template-disabled", template));
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
        }
        return "redirect:/nodes";
    }

    @PostMapping("/nodes/{name}/templates/{template}/default")
    public String makeDefaultTemplate(@PathVariable String name, @PathVariable String template,
                                      RedirectAttributes redirect) {
        try {
            nodes.makeDefaultTemplate(name, template);
            redirect.addFlashAttribute("message", texts.get("flash.template-default", template));
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
        }
        return "redirect:/nodes";
    }

    /** Runs the doctor on the node's worker (with {@code repair}: removes true orphans) and opens its job. */
    @PostMapping("/nodes/{name}/doctor")
    public String runDoctor(@AuthenticationPrincipal PortalUser user, @PathVariable String name,
                            @RequestParam(defaultValue = "false") boolean repair) {
        return "redirect:/jobs/" + doctor.request(name, repair, user.scope(), user.getUsername()).id();
    }
}
