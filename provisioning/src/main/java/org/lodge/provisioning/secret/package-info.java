/** Sealing secrets at rest (AES-256-GCM): job secrets, and the portal's TOTP secrets. */
@NamedInterface("secret")
package org.lodge.provisioning.secret;

import org.springframework.modulith.NamedInterface;
