package org.lodge.portal.web;

import org.lodge.billing.Payments;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Staff's dunning overview: who is overdue, how far dunning got, and what happens next and when. */
@Controller
public class DunningController {

    private final Payments payments;

    public DunningController(Payments payments) {
        this.payments = payments;
    }

    @GetMapping("/billing/dunning")
    public String overview(Model model) {
        model.addAttribute("rows", payments.overview(null));
        return "billing/dunning";
    }
}
