/** The command-line client, started from the application's main method instead of the server. */
@NamedInterface("cli")
package org.lodge.portal.cli;

import org.springframework.modulith.NamedInterface;
