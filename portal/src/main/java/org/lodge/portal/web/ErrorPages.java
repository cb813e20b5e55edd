package org.lodge.portal.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.UUID;
import org.lodge.portal.api.ApiErrors;
import org.lodge.portal.i18n.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Everything that ends at the servlet container's error page (unknown paths, refusals of the
 * security filters, failures outside our controllers) in our words: a styled page for browsers,
 * an RFC 7807 problem for everyone else (the API). Replaces Spring Boot's error controller, so
 * no "Whitelabel" page and no exception text or Java type name can be shown; a failure is logged
 * for staff under the reference the answer gives.
 */
@Controller
@RequestMapping("${server.error.path:/error}")
public class ErrorPages implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorPages.class);

    private final Texts texts;

    public ErrorPages(Texts texts) {
        this.texts = texts;
    }

    @RequestMapping(produces = MediaType.TEXT_HTML_VALUE)
    public ModelAndView page(HttpServletRequest request) {
        HttpStatus status = status(request);
        ModelAndView page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("reference", reference(request, status));
        return page;
    }

    @RequestMapping
    public ResponseEntity<ProblemDetail> problem(HttpServletRequest request) {
        HttpStatus status = status(request);
        String reference = reference(request, status);
        // In the API's language (Accept-Language, else the caller's saved one), as ApiErrors answers.
        Locale locale = ApiErrors.locale(request);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, reference == null ? words(status, locale)
                : texts.get(locale, "api.ours", reference));
        problem.setTitle(texts.messages(locale, "api.title." + status.value(), status.getReasonPhrase()));
        problem.setProperty("code", reference == null ? "http-" + status.value() : "internal");
        if (reference != null) {
            problem.setProperty("reference", reference);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** What a person is told per status (api.status.*); anything else gets its status's standard phrase. */
    private String words(HttpStatus status, Locale locale) {
        return texts.messages(locale, "api.status." + status.value(), status.getReasonPhrase().toLowerCase(Locale.ROOT));
    }

    private static HttpStatus status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        return status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status;
    }

    /** For a server failure: logs it (with its exception, for staff) under a new reference; null otherwise. */
    private static String reference(HttpServletRequest request, HttpStatus status) {
        if (!status.is5xxServerError()) {
            return null;
        }
        String reference = UUID.randomUUID().toString();
        log.error("request {} failed with {}, reference {}", request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                status.value(), reference, (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
        return reference;
    }
}
