package org.lodge.provisioning.unit;

import org.lodge.provisioning.DomainName;
import org.springframework.web.util.HtmlUtils;

/** The page a new jail or VM serves until the customer uploads a site: it names the domain. */
public final class WelcomePage {

    private WelcomePage() {
    }

    public static String html(String domain) {
        String name = HtmlUtils.htmlEscape(DomainName.stored(domain).unicode(), "UTF-8");
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + name + "</title></head>\n"
                + "<body><h1>" + name + "</h1><p>Hosted by Lodge. Upload your site over FTP.</p></body></html>\n";
    }

    /** The query parameter of {@link #php}'s proof: a fresh nonce from whoever tests the jail. */
    public static final String PROOF_PARAMETER = "lodge-proof";

    /**
     * The same page written in PHP. Given {@code ?lodge-proof=<32 hex digits>} it also prints
     * {@code lodge-proof <sha256 of "lodge:" + nonce> php <version>}: only a running PHP can compute
     * that for a nonce it has never seen, which is how the job proves PHP works.
     */
    public static String php(String domain) {
        return html(domain) + "<?php\n"
                + "$nonce = $_GET['" + PROOF_PARAMETER + "'] ?? '';\n"
                + "if (is_string($nonce) && preg_match('/^[0-9a-f]{32}$/', $nonce)) {\n"
                + "    echo '<!-- lodge-proof ', hash('sha256', 'lodge:' . $nonce), ' php ', PHP_VERSION, \" -->\\n\";\n"
                + "}\n";
    }
}
