package org.lodge.portal.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.lodge.portal.i18n.CodedRefusal;
import org.lodge.portal.i18n.Texts;
import org.lodge.portal.i18n.UserLocale;
import org.lodge.provisioning.InvalidInputException;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.server.ResponseStatusException;

/**
 * API errors as RFC 7807 problems in our own words: a refused request lists each field with what
 * is allowed; anything else says what kind of failure it was and never carries an exception's
 * message (host paths, tool output, Java type names). Unexpected failures are logged for staff
 * under a reference the problem gives. Every problem has a stable machine {@code code} (and
 * {@code field} for a refused input); {@code title} and {@code detail} are in the language of
 * Accept-Language, else the caller's saved language, else English.
 */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private final Texts texts;

    public ApiErrors(Texts texts) {
        this.texts = texts;
    }

    @ExceptionHandler(InvalidRequestException.class)
    public ProblemDetail invalid(InvalidRequestException e, HttpServletRequest request) {
        Locale locale = locale(request);
        List<Map<String, Object>> problems = e.problems().stream().map(p -> problem(p, locale)).toList();
        Map<String, String> errors = new LinkedHashMap<>();
        problems.forEach(p -> errors.putIfAbsent((String) p.get("field"), (String) p.get("detail")));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, locale, problems.stream()
                .map(p -> p.get("field") + ": " + p.get("detail")).collect(Collectors.joining("; ")),
                problems.isEmpty() ? "invalid" : (String) problems.get(0).get("code"));
        if (!problems.isEmpty()) {
            problem.setProperty("field", problems.get(0).get("field"));
        }
        problem.setProperty("errors", errors);
        problem.setProperty("problems", problems);
        return problem;
    }

    @ExceptionHandler(NotFoundException.class)
    public ProblemDetail notFound(NotFoundException e, HttpServletRequest request) {
        Locale locale = locale(request);
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, locale, texts.notFound(e, locale), "not-found");
        problem.setProperty("kind", e.kind());
        return problem;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ProblemDetail badParameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        Locale locale = locale(request);
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, locale, texts.get(locale, "api.bad-parameter", e.getName()),
                "bad-parameter");
        problem.setProperty("field", e.getName());
        return problem;
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ProblemDetail unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Locale locale = locale(request);
        return problem(HttpStatus.BAD_REQUEST, locale, texts.get(locale, "api.unreadable"), "unreadable");
    }

    @ExceptionHandler(CodedRefusal.class)
    public ProblemDetail refused(CodedRefusal e, HttpServletRequest request) {
        Locale locale = locale(request);
        return problem(e.getStatusCode(), locale, texts.refusal(e, locale), e.code());
    }

    @ExceptionHandler(AccessDeniedException.class)
    public ProblemDetail denied(AccessDeniedException e, HttpServletRequest request) {
        Locale locale = locale(request);
        return problem(HttpStatus.FORBIDDEN, locale, texts.get(locale, "api.denied"), "denied");
    }

    @ExceptionHandler(Exception.class)
    public ProblemDetail unexpected(Exception e, HttpServletRequest request) {
        HttpStatusCode status = e instanceof ErrorResponse known ? known.getStatusCode() : HttpStatus.INTERNAL_SERVER_ERROR;
        Locale locale = locale(request);
        if (status.is4xxClientError()) {
            return problem(status, locale, ourWords(e, status), "http-" + status.value());
        }
        String reference = UUID.randomUUID().toString();
        log.error("API request failed, reference {}", reference, e);
        ProblemDetail problem = problem(status, locale, texts.get(locale, "api.ours", reference), "internal");
        problem.setProperty("reference", reference);
        return problem;
    }

    /** Our own refusals keep their reason; Spring's get the status's standard phrase. */
    public static String ourWords(Exception e, HttpStatusCode status) {
        if (e instanceof ResponseStatusException ours && ours.getReason() != null) {
            return ours.getReason();
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "the request was refused" : known.getReasonPhrase().toLowerCase(Locale.ROOT);
    }

    private Map<String, Object> problem(InvalidInputException p, Locale locale) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("field", p.field());
        one.put("code", p.code() == null ? "invalid" : p.code());
        one.put("detail", texts.problem(p, locale));
        return one;
    }

    private ProblemDetail problem(HttpStatusCode status, Locale locale, String detail, String code) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        HttpStatus known = HttpStatus.resolve(status.value());
        String phrase = known == null ? "Error" : known.getReasonPhrase();
        problem.setTitle(texts.messages(locale, "api.title." + status.value(), phrase));
        problem.setProperty("code", code);
        return problem;
    }

    /** The API asks the header first (a script says what it reads), then the caller's saved language. */
    public static Locale locale(HttpServletRequest request) {
        Locale asked = UserLocale.asked(request);
        if (asked != null) {
            return asked;
        }
        Locale saved = LocaleContextHolder.getLocale();
        return UserLocale.supported(saved.getLanguage()) != null ? UserLocale.supported(saved.getLanguage()) : Locale.ENGLISH;
    }
}
