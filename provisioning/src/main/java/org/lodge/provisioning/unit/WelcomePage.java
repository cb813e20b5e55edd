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
}
