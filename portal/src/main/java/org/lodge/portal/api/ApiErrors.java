package org.lodge.portal.api;

import java.util.Locale;
import java.util.UUID;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * under a reference the problem gives.
 */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(InvalidRequestException.class)
    public ProblemDetail invalid(InvalidRequestException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid request");
        problem.setProperty("errors", e.errors());
        return problem;
    }

    @ExceptionHandler(NotFoundException.class)
    public ProblemDetail notFound(NotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ProblemDetail badParameter(MethodArgumentTypeMismatchException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "parameter '" + e.getName() + "' has an invalid value");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the request body is not valid JSON, or one of its fields has a value of the wrong kind");
    }

    @ExceptionHandler(AccessDeniedException.class)
    public ProblemDetail denied(AccessDeniedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "your account is not allowed to do this");
    }

    @ExceptionHandler(Exception.class)
    public ProblemDetail unexpected(Exception e) {
        HttpStatusCode status = e instanceof ErrorResponse known ? known.getStatusCode() : HttpStatus.INTERNAL_SERVER_ERROR;
        if (status.is4xxClientError()) {
            return ProblemDetail.forStatusAndDetail(status, ourWords(e, status));
        }
        String reference = UUID.randomUUID().toString();
        log.error("API request failed, reference {}", reference, e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
                "something went wrong on our side; staff can look it up with reference " + reference);
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
}
