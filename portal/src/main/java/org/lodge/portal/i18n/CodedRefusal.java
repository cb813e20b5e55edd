package org.lodge.portal.i18n;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;

/**
 * A refusal that is no field's fault (a 409: the request is fine, the state of things is not), with
 * a stable code like a refused input's: pages and the API say {@code error.<code>} from the bundles
 * in the reader's language (WebErrors, ApiErrors); the English reason is for logs.
 */
public class CodedRefusal extends ResponseStatusException {

    private final String code;
    private final transient Object[] args;

    public CodedRefusal(HttpStatusCode status, String reason, String code, Object... args) {
        super(status, reason);
        this.code = code;
        this.args = args.clone();
    }

    public String code() {
        return code;
    }

    public Object[] args() {
        return args.clone();
    }
}
