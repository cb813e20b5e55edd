package org.lodge.portal.web;

import org.lodge.portal.console.ConsoleController;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

/** Web pages: another tenant's unit looks exactly like a missing one (404). */
@ControllerAdvice(assignableTypes = {UnitController.class, JobController.class, AdminController.class,
        ConsoleController.class})
public class WebErrors {

    @ExceptionHandler(NotFoundException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    public String notFound(NotFoundException e, Model model) {
        model.addAttribute("message", "Not found.");
        return "error-page";
    }

    @ExceptionHandler(InvalidRequestException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public String invalid(InvalidRequestException e, Model model) {
        model.addAttribute("message", e.getMessage());
        return "error-page";
    }
}
