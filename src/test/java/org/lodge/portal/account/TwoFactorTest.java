package org.lodge.portal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.lodge.support.Totp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.test.web.servlet.MockMvc;

/**
 * TOTP two-factor login through the real filter chain and database, with codes computed in the
 * test from the secret the page shows (RFC 6238 written out in {@link Totp}): enrolment by QR code
 * and a first code; login in two steps with a new session id at each; wrong and replayed codes
 * refused; recovery codes good once; HTTP Basic refused for such an account, API tokens not.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class TwoFactorTest {

    private static final Pattern TOKEN = Pattern.compile("lodge_[A-Za-z0-9_-]{43}");

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;

    record Enrolled(String user, String secret, List<String> recovery) {
    }

    @Test
    void enrolsByQrCodeAndLogsInWithACodeInTwoSteps() throws Exception {
        Enrolled enrolled = enrol(data.customer(data.tenant("totp")));
        String sealed = jdbc.sql("select t.secret_sealed from user_totp t join app_user u on u.id = t.user_id"
                + " where u.username = :u").param("u", enrolled.user()).query(String.class).single();
        assertThat(sealed).doesNotContain(enrolled.secret());
        assertThat(jdbc.sql("select r.code_hash from user_recovery_code r join app_user u on u.id = r.user_id"
                + " where u.username = :u").param("u", enrolled.user()).query(String.class).list())
                .hasSize(10).allSatisfy(hash -> assertThat(hash).startsWith("{bcrypt}"));

        MockHttpSession session = new MockHttpSession();
        String firstId = session.getId();
        password(session, enrolled.user()).andExpect(redirectedUrl("/login/code"));
        String halfwayId = session.getId();
        // Halfway, the session opens nothing but the code form.
        mvc.perform(get("/units").session(session)).andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("http://localhost/login"));
        mvc.perform(get("/login/code").session(session)).andExpect(status().isOk());
        // The code form keeps its CSRF protection.
        mvc.perform(post("/login/code").session(session).param("code", Totp.code(enrolled.secret(), 1)))
                .andExpect(status().isForbidden());
        code(session, "000000").andExpect(status().isOk());
        assertThat(loggedIn(session)).isFalse();

        // On to the page first asked for (the saved request of the /units visit above).
        String accepted = Totp.code(enrolled.secret(), 1);
        code(session, accepted).andExpect(redirectedUrl("http://localhost/units?continue"));
        assertThat(loggedIn(session)).isTrue();
        assertThat(session.getId()).isNotEqualTo(halfwayId).isNotEqualTo(firstId);
        mvc.perform(get("/units").session(session)).andExpect(status().isOk());

        // The same code again, in another login: refused (each step's code is taken once).
        MockHttpSession replay = new MockHttpSession();
        password(replay, enrolled.user()).andExpect(redirectedUrl("/login/code"));
        code(replay, accepted).andExpect(status().isOk());
        assertThat(loggedIn(replay)).isFalse();
        assertThat(kinds(enrolled.user())).contains("SECOND_FACTOR_FAILED", "SECOND_FACTOR_OK", "TWO_FACTOR_ENABLED");
    }

    @Test
    void aRecoveryCodeLogsInOnceOnly() throws Exception {
        Enrolled enrolled = enrol(data.customer(data.tenant("recovery")));
        String code = enrolled.recovery().get(3);
        MockHttpSession first = new MockHttpSession();
        password(first, enrolled.user());
        code(first, code.toUpperCase()).andExpect(redirectedUrl("/"));
        assertThat(loggedIn(first)).isTrue();

        MockHttpSession second = new MockHttpSession();
        password(second, enrolled.user());
        code(second, code).andExpect(status().isOk());
        assertThat(loggedIn(second)).isFalse();
        code(second, enrolled.recovery().get(4)).andExpect(redirectedUrl("/"));
        assertThat(jdbc.sql("select count(*) from user_recovery_code r join app_user u on u.id = r.user_id"
                + " where u.username = :u and r.used_at is null").param("u", enrolled.user()).query(Long.class)
                .single()).isEqualTo(8);
    }

    @Test
    void aWrongFirstCodeLeavesTwoFactorOff() throws Exception {
        String user = data.customer(data.tenant("wrong"));
        MockHttpSession session = loggedInSession(user);
        String page = mvc.perform(get("/account/2fa").session(session)).andReturn().getResponse().getContentAsString();
        String secret = Jsoup.parse(page).getElementById("totp-secret").text();
        String wrong = Totp.code(secret, 0).equals("123456") ? "654321" : "123456";
        String answer = mvc.perform(post("/account/2fa").session(session).with(csrf()).param("code", wrong))
                .andReturn().getResponse().getContentAsString();
        assertThat(Jsoup.parse(answer).getElementById("errors")).isNotNull();
        assertThat(Jsoup.parse(answer).getElementById("recovery-codes")).isNull();
        // Still one step: the password alone logs in.
        MockHttpSession next = new MockHttpSession();
        password(next, user).andExpect(redirectedUrl("/"));
    }

    @Test
    void apiTokensStillWorkButAPasswordAloneDoesNotOpenTheApi() throws Exception {
        String user = data.customer(data.tenant("api2fa"));
        MockHttpSession session = loggedInSession(user);
        String page = mvc.perform(post("/account/tokens").session(session).with(csrf()).param("name", "script"))
                .andReturn().getResponse().getContentAsString();
        Matcher token = TOKEN.matcher(page);
        assertThat(token.find()).isTrue();
        mvc.perform(get("/api/units").with(httpBasic(user, TestData.PASSWORD))).andExpect(status().isOk());
        enrolWith(session, user);
        mvc.perform(get("/api/units").with(httpBasic(user, TestData.PASSWORD))).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/units").header("Authorization", "Bearer " + token.group())).andExpect(status().isOk());
    }

    private Enrolled enrol(String user) throws Exception {
        return enrolWith(loggedInSession(user), user);
    }

    /** Reads the QR code as an app would, checks it carries the key shown, and confirms with a first code. */
    private Enrolled enrolWith(MockHttpSession session, String user) throws Exception {
        Document page = Jsoup.parse(mvc.perform(get("/account/2fa").session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
        String secret = page.getElementById("totp-secret").text();
        String src = page.getElementById("qr").attr("src");
        assertThat(src).startsWith("data:image/png;base64,");
        var image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1))));
        String uri = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
                .getText();
        assertThat(uri).startsWith("otpauth://totp/").contains("secret=" + secret).contains("issuer=Lodge");
        Document done = Jsoup.parse(mvc.perform(post("/account/2fa").session(session).with(csrf())
                .param("code", Totp.code(secret, 0))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString());
        List<String> recovery = done.select("#recovery-codes code").eachText();
        assertThat(recovery).hasSize(10).doesNotHaveDuplicates();
        return new Enrolled(user, secret, recovery);
    }

    private MockHttpSession loggedInSession(String user) throws Exception {
        MockHttpSession session = new MockHttpSession();
        password(session, user).andExpect(redirectedUrl("/"));
        return session;
    }

    private org.springframework.test.web.servlet.ResultActions password(MockHttpSession session, String user)
            throws Exception {
        return mvc.perform(post("/login").session(session).with(csrf())
                .param("username", user).param("password", TestData.PASSWORD));
    }

    private org.springframework.test.web.servlet.ResultActions code(MockHttpSession session, String code)
            throws Exception {
        return mvc.perform(post("/login/code").session(session).with(csrf()).param("code", code));
    }

    private static boolean loggedIn(MockHttpSession session) {
        return session.getAttribute("SPRING_SECURITY_CONTEXT") instanceof SecurityContext context
                && context.getAuthentication() != null
                && !(context.getAuthentication() instanceof org.springframework.security.authentication.AnonymousAuthenticationToken)
                && context.getAuthentication().isAuthenticated();
    }

    private List<String> kinds(String user) {
        return jdbc.sql("select distinct kind from audit_event where principal = :p").param("p", user)
                .query(String.class).list();
    }

}
