package org.lodge.provisioning;

/** FTP access to a new jail, revealed once. */
public record FtpCredentials(String host, String username, String password) {

    @Override
    public String toString() {
        return "FtpCredentials[host=" + host + ", username=" + username + ", password=***]";
    }
}
