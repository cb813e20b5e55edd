package org.lodge.portal.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Over real HTTP (Tomcat, not MockMvc): a 10 KB search reaches the portal and is refused in our
 * words, as a problem naming the parameter, rather than by the server's bare 400 for a long
 * request line. Same context as ErrorPagesTest, so it costs no extra start-up in the suite.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
class LongSearchOverHttpTest {

    @Autowired
    TestRestTemplate rest;
    @Autowired
    TestData data;

    @Test
    void aTenKilobyteSearchIsRefusedInWords() throws Exception {
        String staff = data.staff();
        HttpHeaders headers = new HttpHeaders();
        headers.setAccept(List.of(MediaType.APPLICATION_JSON));
        for (String path : List.of("/api/units", "/api/jobs")) {
            ResponseEntity<String> answer = rest.withBasicAuth(staff, TestData.PASSWORD).exchange(
                    path + "?q=" + "x".repeat(10_240), HttpMethod.GET, new HttpEntity<>(headers), String.class);
            assertThat(answer.getStatusCode().value()).isEqualTo(400);
            JsonNode problem = new ObjectMapper().readTree(answer.getBody());
            assertThat(problem.path("detail").asText()).isEqualTo("q: a search has at most 253 printable characters");
        }
    }
}
