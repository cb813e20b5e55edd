package org.lodge.portal.web;

import org.lodge.portal.i18n.CodedRefusal;
import org.lodge.portal.i18n.Texts;
import java.util.UUID;
import org.lodge.portal.console.ConsoleController;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.lodge.portal.api.ApiErrors;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.ui.Model;
import org.springframework.util.StringUtils;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.ModelAndView;

/**
 * Web pages: another tenant's unit looks exactly like a missing one (404), and every other error
 * page speaks our words only: no exception message (host paths, tool output, Java type names)
 * reaches the page; unexpected failures are logged for staff under the reference the page shows.
 */
@ControllerAdvice(assignableTypes = {UnitController.class, JobController.class, AdminController.class,
        ConsoleController.class, BillingController.class, AccountController.class, TwoFactorController.class,
        org.lodge.portal.team.TeamController.class,
        DashboardController.class, BillingAccountController.class, PaymentsController.class,
        ReinstallController.class, StaffTwoFactorController.class, CustomerSnapshotsController.class,
        BackupFilesController.class})
public class WebErrors {

    private static final Logger log = LoggerFactory.getLogger(WebErrors.class);

    private final Texts texts;

    public WebErrors(Texts texts) {
        this.texts = texts;
    }

    @ExceptionHandler(NotFoundException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    public String notFound(NotFoundException e, Model model) {
        // What was not found, in words (never a type name): "Unit 1f0c… not found. Check the address, …".
        model.addAttribute("message", texts.get("error.not-found",
                StringUtils.capitalize(texts.notFound(e, LocaleContextHolder.getLocale()))));
        return "error-page";
    }

    @ExceptionHandler(InvalidRequestException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public String invalid(InvalidRequestException e, Model model) {
        model.addAttribute("message", texts.summary(e));
        return "error-page";
    }

    @ExceptionHandler(CodedRefusal.class)
    public ModelAndView refused(CodedRefusal e) {
        ModelAndView page = new ModelAndView("error-page");
        page.setStatus(e.getStatusCode());
        page.addObject("message", texts.get("error.cannot-serve", texts.refusal(e, LocaleContextHolder.getLocale())));
        return page;
    }

    @ExceptionHandler(AccessDeniedException.class)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    public String denied(AccessDeniedException e, Model model) {
        model.addAttribute("message", texts.get("error.denied"));
        return "error-page";
    }

    @ExceptionHandler(Exception.class)
    public ModelAndView unexpected(Exception e) {
        ModelAndView page = new ModelAndView("error-page");
        HttpStatusCode status = e instanceof ErrorResponse known ? known.getStatusCode() : HttpStatus.INTERNAL_SERVER_ERROR;
        page.setStatus(status);
        if (status.is4xxClientError()) {
            page.addObject("message", texts.get("error.cannot-serve", ApiErrors.ourWords(e, status)));
            return page;
        }
        String reference = UUID.randomUUID().toString();
        log.error("page request failed, reference {}", reference, e);
        page.addObject("message", texts.get("error.ours", reference));
        return page;
    }
}
