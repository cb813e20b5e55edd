package org.lodge.portal.web;

import org.lodge.provisioning.StaffDashboard;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The staff dashboard (staff only: SecurityConfig, and the service checks again). */
@Controller
public class DashboardController {

    private final StaffDashboard dashboard;

    public DashboardController(StaffDashboard dashboard) {
        this.dashboard = dashboard;
    }

    @GetMapping("/dashboard")
    public String dashboard(Model model) {
        model.addAttribute("view", dashboard.view());
        return "dashboard";
    }
}
