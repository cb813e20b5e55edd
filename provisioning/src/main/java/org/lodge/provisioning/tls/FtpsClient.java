package org.lodge.provisioning.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * FTP over explicit TLS (AUTH TLS on port 21) as the units require it: trusts only the node CA,
 * checks that the certificate names the address connected to, and protects the data connections
 * too ({@code PBSZ 0}, {@code PROT P}).
 */
public final class FtpsClient extends FTPSClient {

    private FtpsClient(SSLContext context) {
        super(false, context);
    }

    /** A client that trusts {@code authority} and nothing else (not even the JDK's public CAs). */
    public static FtpsClient trusting(X509Certificate authority, Duration timeout) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("node-ca", authority);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            FtpsClient client = new FtpsClient(context);
            // The certificate must name the host connected to (the unit's IPv4 is in it).
            client.setEndpointCheckingEnabled(true);
            client.setConnectTimeout((int) timeout.toMillis());
            client.setDefaultTimeout((int) timeout.toMillis());
            return client;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context trusting the node CA: " + e.getMessage(), e);
        }
    }

    /** Logs in on the encrypted control connection, then encrypts every data connection as well. */
    public boolean loginPrivate(String user, String password) throws IOException {
        if (!login(user, password)) {
            return false;
        }
        execPBSZ(0);
        execPROT("P");
        enterLocalPassiveMode();
        return true;
    }

    /** The control connection's TLS session (after connect, which negotiates AUTH TLS). */
    public SSLSession tlsSession() {
        if (!(_socket_ instanceof SSLSocket socket)) {
            throw new IllegalStateException("the FTP control connection is not TLS");
        }
        return socket.getSession();
    }

    /** "TLSv1.3, TLS_AES_256_GCM_SHA384": what the job log records of the session. */
    public String describeTls() {
        SSLSession session = tlsSession();
        return session.getProtocol() + ", " + session.getCipherSuite();
    }

    /** The server's certificate, after checking that it names {@code domain} (an A-label). */
    public X509Certificate requireCertificateFor(String domain) throws SSLPeerUnverifiedException {
        X509Certificate certificate = (X509Certificate) tlsSession().getPeerCertificates()[0];
        if (!dnsNames(certificate).contains(domain.toLowerCase(Locale.ROOT))) {
            throw new SSLPeerUnverifiedException("the FTP server's certificate names " + dnsNames(certificate)
                    + ", not " + domain);
        }
        return certificate;
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names.stream()
                    .filter(name -> Objects.equals(name.get(0), 2))
                    .map(name -> ((String) name.get(1)).toLowerCase(Locale.ROOT)).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
