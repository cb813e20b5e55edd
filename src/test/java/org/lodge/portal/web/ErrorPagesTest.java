package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

/**
 * Through the real servlet container (its error dispatch is what MockMvc skips): unknown pages,
 * refusals of the security filters and unknown API paths are answered in our words, a styled page
 * for browsers and an RFC 7807 problem for the API, never Spring's Whitelabel page or a type name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
class ErrorPagesTest {

    @Autowired
    TestRestTemplate rest;
    @Autowired
    TestData data;

    private ResponseEntity<String> get(TestRestTemplate client, String path, MediaType accept) {
        HttpHeaders headers = new HttpHeaders();
        headers.setAccept(List.of(accept));
        return client.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }

    private static void assertOurWords(String body) {
        assertThat(body).doesNotContain("Whitelabel").doesNotContain("Exception").doesNotContain("java.")
                .doesNotContain("org.springframework").doesNotContain("trace");
    }

    @Test
    void anUnknownApiPathIsAProblemInOurWords() {
        String customer = data.customer(data.tenant("errors"));
        ResponseEntity<String> missing = get(rest.withBasicAuth(customer, TestData.PASSWORD), "/api/no-such-thing",
                MediaType.APPLICATION_JSON);
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        assertThat(missing.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(missing.getBody()).contains("\"status\":404").contains("there is nothing here");
        assertOurWords(missing.getBody());
    }

    @Test
    void apiRefusalsOfTheSecurityFiltersAreProblemsToo() {
        ResponseEntity<String> anonymous = get(rest, "/api/units", MediaType.APPLICATION_JSON);
        assertThat(anonymous.getStatusCode().value()).isEqualTo(401);
        assertThat(anonymous.getBody()).contains("\"status\":401").contains("API token");
        assertOurWords(anonymous.getBody());

        String customer = data.customer(data.tenant("errors"));
        ResponseEntity<String> staffOnly = get(rest.withBasicAuth(customer, TestData.PASSWORD), "/api/tenants",
                MediaType.APPLICATION_JSON);
        assertThat(staffOnly.getStatusCode().value()).isEqualTo(403);
        assertThat(staffOnly.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(staffOnly.getBody()).contains("not allowed");
        assertOurWords(staffOnly.getBody());
    }

    @Test
    void theProblemIsSaidInTheAskedLanguage() {
        HttpHeaders headers = new HttpHeaders();
        headers.setAccept(List.of(MediaType.APPLICATION_JSON));
        headers.set(HttpHeaders.ACCEPT_LANGUAGE, "it");
        ResponseEntity<String> anonymous = rest.exchange("/api/units", HttpMethod.GET, new HttpEntity<>(headers),
                String.class);
        assertThat(anonymous.getStatusCode().value()).isEqualTo(401);
        assertThat(anonymous.getBody()).contains("\"title\":\"Non autenticato\"").contains("\"code\":\"http-401\"")
                .contains("accedi prima: con la tua password (HTTP Basic) o con un token API").doesNotContain("log in first");
        String customer = data.customer(data.tenant("errors"));
        ResponseEntity<String> missing = rest.withBasicAuth(customer, TestData.PASSWORD).exchange("/api/no-such-thing",
                HttpMethod.GET, new HttpEntity<>(headers), String.class);
        assertThat(missing.getBody()).contains("qui non c’è niente: controlla l’indirizzo");
    }

    @Test
    void aBrowserOnAnUnknownAddressGetsAStyledPage() {
        String customer = data.customer(data.tenant("errors"));
        // Web pages need a form login; an API address opened in a browser (Accept: text/html) takes Basic.
        TestRestTemplate browser = rest.withBasicAuth(customer, TestData.PASSWORD);
        ResponseEntity<String> page = get(browser, "/api/no-such-page", MediaType.TEXT_HTML);
        assertThat(page.getStatusCode().value()).isEqualTo(404);
        assertThat(page.getBody()).contains("Page not found").contains("lodge.css").contains("Back to the portal");
        assertOurWords(page.getBody());
    }
}
