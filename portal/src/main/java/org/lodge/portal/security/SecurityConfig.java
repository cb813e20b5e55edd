package org.lodge.portal.security;

import org.springframework.context.ApplicationEventPublisher;
import org.lodge.provisioning.UnitAction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import java.util.Map;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.session.HttpSessionEventPublisher;

/**
 * Two doors: the REST API (HTTP Basic or a Bearer API token, stateless, so no session cookie and no CSRF token to
 * steal) and the web UI (form login, session cookie, CSRF on). Staff-only paths are listed here;
 * the services check the role again ({@code @StaffOnly}, method security enabled here).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
public class SecurityConfig {

    /**
     * New hashes are bcrypt at {@code lodge.security.bcrypt-strength} (Spring's default 10); a hash
     * keeps the cost it was made with, and other ids ({@code {pbkdf2}}, ...) still match.
     */
    @Bean
    PasswordEncoder passwordEncoder(@Value("${lodge.security.bcrypt-strength:10}") int bcryptStrength) {
        DelegatingPasswordEncoder encoder = new DelegatingPasswordEncoder("bcrypt",
                Map.of("bcrypt", new BCryptPasswordEncoder(bcryptStrength)));
        encoder.setDefaultPasswordEncoderForMatches(PasswordEncoderFactories.createDelegatingPasswordEncoder());
        return encoder;
    }

    @Bean
    SessionRegistry sessionRegistry() {
        return new SessionRegistryImpl();
    }

    /** Tells the session registry of sessions that end or change id. */
    @Bean
    HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }

    @Bean
    AuthorizationEventPublisher authorizationEventPublisher(ApplicationEventPublisher publisher) {
        return new SpringAuthorizationEventPublisher(publisher);
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens, UserDetailsService users, TwoFactor twoFactor,
                            org.lodge.portal.i18n.Texts texts, org.lodge.portal.tenant.UserRepository userRows)
            throws Exception {
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/openapi/**", "/api/docs/**", "/api/docs").permitAll()
                        .requestMatchers(HttpMethod.POST, selfServiceActions("/api/units")).authenticated()
                        .requestMatchers(HttpMethod.POST, "/api/units", "/api/units/*/**")
                        .hasRole("STAFF")
                        // A VM's snapshots, where staff opened them to its customers (CustomerSnapshotService checks).
                        .requestMatchers(HttpMethod.DELETE, "/api/units/*/snapshots/*").authenticated()
                        .requestMatchers(HttpMethod.DELETE, "/api/units/**")
                        .hasRole("STAFF")
                        .requestMatchers("/api/tenants/**", "/api/nodes/**", "/api/batches/**").hasRole("STAFF")
                        // a payment provider: no login, the body's HMAC signature is checked instead (docs/billing.md)
                        .requestMatchers(HttpMethod.POST, "/api/billing/payment-notifications").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/billing/**").hasRole("STAFF")
                        .requestMatchers(HttpMethod.PUT, "/api/billing/**").hasRole("STAFF")
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .addFilterBefore(new ApiTokenFilter(tokens, users, texts, userRows), BasicAuthenticationFilter.class)
                .addFilterAfter(SecondFactorGate.api(twoFactor), BasicAuthenticationFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain web(HttpSecurity http, TwoFactorLogin twoFactorLogin, TwoFactor twoFactor,
                            SessionRegistry sessions, org.lodge.portal.tenant.UserRepository userRows,
                            @Value("${lodge.security.require-2fa-for-staff:false}") boolean require2faForStaff)
            throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers("/login", TwoFactorLogin.CODE_PAGE, "/css/**", "/js/**", "/favicon.ico", "/error", "/language").permitAll()
                        .requestMatchers("/tenants/**", "/nodes/**", "/dashboard", "/units/new", "/billing/plans/**", "/backups", "/backups/**", "/billing/dunning", "/billing/customers", "/billing/payments", "/batches/**").hasRole("STAFF")
                        .requestMatchers(HttpMethod.POST, "/billing/**").hasRole("STAFF")
                        .requestMatchers("/team", "/team/**").hasRole("TENANT_ADMIN")
                        .requestMatchers(HttpMethod.POST, selfServiceActions("/units")).authenticated()
                        .requestMatchers(HttpMethod.POST, "/units", "/units/*/**").hasRole("STAFF")
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").successHandler(twoFactorLogin).permitAll())
                // Registered sessions, so a password change can end the user's other sessions.
                .sessionManagement(session -> session.maximumSessions(-1).sessionRegistry(sessions)
                        .expiredUrl("/login?expired"))
                .addFilterAfter(SecondFactorGate.web(twoFactor, require2faForStaff), AuthorizationFilter.class)
                .addFilterAfter(new FirstPasswordGate(userRows), SecondFactorGate.class)
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"));
        return http.build();
    }

    /**
     * Power control, reinstall, backups and (where staff allow them) VM snapshots customers may use
     * on their own units (the services check the tenant and the allowance).
     */
    private static String[] selfServiceActions(String prefix) {
        // Backups too: a customer backs up and restores their own units (docs/backups.md).
        return java.util.stream.Stream.concat(java.util.Arrays.stream(UnitAction.values())
                        .filter(UnitAction::selfService).map(action -> prefix + "/*/actions/" + action.slug()),
                java.util.stream.Stream.of(prefix + "/*/backups", prefix + "/*/backups/*/restore",
                        prefix + "/*/backups/*/files/restore", prefix + "/*/backups/*/files/download",
                        prefix + "/*/backups/*/files/browse",
                        prefix + "/*/snapshots", prefix + "/*/snapshots/*/revert", prefix + "/*/snapshots/*/delete"))
                .toArray(String[]::new);
    }
}
